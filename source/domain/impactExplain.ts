// Explain one user: its roles now (the Secret), and at its next request under the saved state and
// under the draft, with the mapping's reasons, for the detected semantics and the other one. Epinio
// takes the groups from the login's token; with no recorded login they are unknown, and the
// explanation says what happens when the token carries no matching group.
import { identitiesOf, type Identity } from './impactBlast.js';
import {
  applyToUser,
  findStatic,
  knownUserRoles,
  LOCAL,
  nextRequest,
  sameOutcome,
  type ImpactContext,
  type ImpactSide,
  type Outcome,
} from './impactOutcome.js';
import type { Login } from './objects.js';
import { splitScopedRole } from './roles.js';
import type { Semantics } from './rolesMapping.js';

export interface ExplainedIdentity {
  identity: Identity;
  saved: Outcome;
  draft: Outcome;
  changed: boolean;
}

export interface SemanticsExplanation {
  semantics: Semantics;
  identities: ExplainedIdentity[];
  /** With no known login: the roles when the token carries no matching group. */
  noGroups?: { saved: Outcome; draft: Outcome };
}

export interface UserExplanation {
  username: string;
  /** The Secret as it stands, when there is one. */
  secret?: {
    name: string;
    roles: string[];
    /** Roles of the annotation the running server does not know (dropped at the next request). */
    unknownRoles: string[];
    hasPassword: boolean;
    duplicate: boolean;
  };
  /** What a basic-auth request (username and password) gets. */
  basicAuth: string;
  /** Set when no login of this user is known. */
  noLogin?: string;
  /** The detected semantics first, then the other one. */
  explanations: [SemanticsExplanation, SemanticsExplanation];
}

function basicAuth(side: ImpactSide, ctx: ImpactContext, username: string): string {
  const users = side.users.filter((u) => u.username === username);
  if (!users.length) return 'no user Secret, so basic auth answers 401 "user not found"';
  if (users.length > 1) return `defined by ${users.length} Secrets, so Epinio rejects the user`;
  const user = users[0]!;
  if (!user.hasPassword) return 'no password in the Secret, so basic auth answers 401';
  const roles = knownUserRoles(user, ctx.knownRoles);
  if (roles.length) return `password set: basic auth gets ${roles.join(',')}`;
  return ctx.defaultRole
    ? `password set: basic auth gets the default role "${ctx.defaultRole}" (the Secret has no known role)`
    : 'password set, but the Secret has no known role and there is no default role: every /api/v1 route answers 403';
}

function withoutGroups(
  side: ImpactSide,
  ctx: ImpactContext,
  username: string,
  semantics: Semantics,
): Outcome {
  // No groups: the mapping grants nothing whatever the connector, so only step 5 decides; the
  // Dex local user is the one connector we can name for sure.
  const connectorId = findStatic(side, username) ? LOCAL : undefined;
  if (connectorId) return nextRequest(side, ctx, { connectorId, email: username, groups: [] }, semantics);
  if (side.mappingFatal)
    return {
      canLogIn: false,
      roles: [],
      source: 'blocked',
      reason: `rolesMapping cannot be parsed, so every OIDC request fails: ${side.mappingFatal}`,
    };
  const user = side.users.filter((u) => u.username === username);
  if (user.length > 1)
    return {
      canLogIn: false,
      roles: [],
      source: 'blocked',
      reason: `defined by ${user.length} Secrets, so Epinio rejects the user`,
    };
  return { canLogIn: true, ...applyToUser([], user[0], ctx, semantics) };
}

export function explainUser(
  saved: ImpactSide,
  draft: ImpactSide,
  ctx: ImpactContext,
  logins: readonly Login[],
  username: string,
): UserExplanation {
  const users = saved.users.filter((u) => u.username === username);
  const user = users[0];
  const known = new Set(ctx.knownRoles);
  const mine = identitiesOf(logins, [saved, draft]).filter((i) => i.email === username);
  const hasLogin = mine.some((i) => i.from === 'login');
  const explain = (semantics: Semantics): SemanticsExplanation => ({
    semantics,
    identities: mine.map((identity) => {
      const s = nextRequest(saved, ctx, identity, semantics);
      const d = nextRequest(draft, ctx, identity, semantics);
      return { identity, saved: s, draft: d, changed: !sameOutcome(s, d) };
    }),
    ...(mine.length
      ? {}
      : {
          noGroups: {
            saved: withoutGroups(saved, ctx, username, semantics),
            draft: withoutGroups(draft, ctx, username, semantics),
          },
        }),
  });
  const other: Semantics = ctx.semantics === 'modern' ? 'legacy' : 'modern';
  const localOnly = mine.length > 0 && !hasLogin;
  return {
    username,
    ...(user
      ? {
          secret: {
            name: user.secretName,
            roles: [...user.roles],
            unknownRoles: user.roles.filter((r) => !known.has(splitScopedRole(r).id)),
            hasPassword: user.hasPassword,
            duplicate: users.length > 1,
          },
        }
      : {}),
    basicAuth: basicAuth(saved, ctx, username),
    ...(hasLogin
      ? {}
      : {
          noLogin: localOnly
            ? `no login of "${username}" is known; as a Dex local user its groups come from staticPasswords`
            : `no login of "${username}" is known: Epinio takes the groups from the login's token, so they are unknown here; with no matching group:`,
        }),
    explanations: [explain(ctx.semantics), explain(other)],
  };
}
