// The lockout guard: after the draft, can any administrator still get in? A way in is a user Secret
// with a global admin role and a password (basic auth never reads the mapping), or a known identity
// (a recorded login, a Dex local user) whose next request on that side ends with admin: through its
// Secret, or through a rolesMapping group seen in its login. A draft that takes the last way in
// away is refused by both faces unless the operator confirms; a state that already has none only
// warns, since refusing would not protect anybody.
import { identitiesOf, type Identity } from './impactBlast.js';
import {
  hasAdmin,
  knownUserRoles,
  nextRequest,
  type ImpactContext,
  type ImpactSide,
  type Outcome,
} from './impactOutcome.js';
import type { Login } from './objects.js';

export interface WayIn {
  key: string;
  kind: 'password' | 'login' | 'static';
  /** e.g. `user "admin" (password, role admin)`. */
  description: string;
}

export interface LostWay {
  way: WayIn;
  /** Why the draft takes it away. */
  why: string;
  /** What keeps it. */
  keep: string;
}

export interface LockoutCheck {
  /** true: the draft leaves no way in although the saved state has one; a save needs confirmation. */
  blocked: boolean;
  saved: WayIn[];
  draft: WayIn[];
  /** Ways in the saved state has and the draft has not. */
  lost: LostWay[];
  /** How to keep a way in (each lost way's remedy, then the general one). */
  advice: string[];
  /** Set when the saved state has no way in either. */
  warning?: string;
  /** The refusal, one paragraph, when blocked. */
  message?: string;
}

/** What the operator types in the save dialog to save a lockout anyway. */
export const LOCKOUT_WORD = 'lockout';

export const GENERAL_ADVICE =
  'or first give an administrator a password: `users create NAME --role admin` (or `users set-password NAME` for a user with role admin)';

function passwordWays(side: ImpactSide, ctx: ImpactContext): WayIn[] {
  const counts = new Map<string, number>();
  for (const u of side.users) counts.set(u.username, (counts.get(u.username) ?? 0) + 1);
  return side.users
    .filter(
      (u) => counts.get(u.username) === 1 && u.hasPassword && hasAdmin(knownUserRoles(u, ctx.knownRoles)),
    )
    .map((u) => ({
      key: `password/${u.username}`,
      kind: 'password',
      description: `user "${u.username}" (password, role admin)`,
    }));
}

function identityWay(identity: Identity, outcome: Outcome): WayIn {
  const via =
    outcome.source === 'mapping' || outcome.source === 'created'
      ? `rolesMapping group ${outcome
          .simulation!.matched.filter((m) => m.roles.includes('admin'))
          .map((m) => `"${m.group}"`)
          .join(', ')}`
      : outcome.source === 'default'
        ? 'the default role'
        : 'its user Secret';
  return identity.from === 'static'
    ? {
        key: identity.key,
        kind: 'static',
        description: `Dex local user "${identity.email}" (admin through ${via})`,
      }
    : {
        key: identity.key,
        kind: 'login',
        description: `"${identity.email}" logging in with connector "${identity.connectorId}" (admin through ${via})`,
      };
}

export function waysIn(side: ImpactSide, ctx: ImpactContext, identities: readonly Identity[]): WayIn[] {
  const ways = passwordWays(side, ctx);
  for (const identity of identities) {
    const o = nextRequest(side, ctx, identity);
    if (o.canLogIn && hasAdmin(o.roles)) ways.push(identityWay(identity, o));
  }
  return ways;
}

function lostPassword(way: WayIn, draft: ImpactSide, ctx: ImpactContext): LostWay {
  const username = way.key.slice('password/'.length);
  const users = draft.users.filter((u) => u.username === username);
  const why =
    users.length === 0
      ? 'its Secret is deleted'
      : users.length > 1
        ? 'it is defined by more than one Secret'
        : !users[0]!.hasPassword
          ? 'its password is removed'
          : !hasAdmin(knownUserRoles(users[0]!, ctx.knownRoles))
            ? 'its role admin is removed'
            : 'it changes';
  return { way, why, keep: `keep user "${username}" with role admin and a password` };
}

function lostIdentity(way: WayIn, identity: Identity, saved: Outcome, draft: Outcome): LostWay {
  if (!draft.canLogIn) {
    const keep =
      identity.connectorId === 'local'
        ? draft.reason.startsWith('enablePasswordDB')
          ? 'keep enablePasswordDB: true'
          : `keep Dex local user "${identity.email}"`
        : draft.reason.startsWith('rolesMapping')
          ? 'fix rolesMapping so that it parses'
          : draft.reason.startsWith('config.yaml')
            ? 'fix config.yaml so that Dex starts'
            : `keep connector "${identity.connectorId}" (a renamed connector's users log in as new identities)`;
    return { way, why: draft.reason, keep };
  }
  const groups = identity.groups.length ? identity.groups.map((g) => `"${g}"`).join(', ') : 'none';
  const why = `it gets ${draft.roles.length ? draft.roles.join(',') : 'no role'}: ${draft.reason}`;
  const keep =
    saved.source === 'secret'
      ? `keep "${identity.email}"'s role admin: map no other roles to its groups (${groups}), or map admin to one of them`
      : `keep a rolesMapping group for connector "${identity.connectorId}" that grants admin to one of "${identity.email}"'s groups (${groups})`;
  return { way, why, keep };
}

export function lockoutCheck(
  saved: ImpactSide,
  draft: ImpactSide,
  ctx: ImpactContext,
  logins: readonly Login[],
): LockoutCheck {
  const identities = identitiesOf(logins, [saved, draft]);
  const before = waysIn(saved, ctx, identities);
  const after = waysIn(draft, ctx, identities);
  const kept = new Set(after.map((w) => w.key));
  const byKey = new Map(identities.map((i) => [i.key, i]));
  const lost = before
    .filter((w) => !kept.has(w.key))
    .map((w) => {
      const identity = byKey.get(w.key);
      if (!identity) return lostPassword(w, draft, ctx);
      return lostIdentity(w, identity, nextRequest(saved, ctx, identity), nextRequest(draft, ctx, identity));
    });
  const advice = [...new Set(lost.map((l) => l.keep)), GENERAL_ADVICE];
  const blocked = before.length > 0 && after.length === 0;
  const warning = before.length
    ? undefined
    : 'no administrator can get in even now (no user Secret with role admin and a password, no known login that maps to admin), so the lockout guard has nothing to protect';
  const message = blocked
    ? [
        'this save would lock every administrator out; it takes away:',
        ...lost.map((l) => `  - ${l.way.description}: ${l.why}`),
        'to keep a way in:',
        ...advice.map((a) => `  - ${a}`),
      ].join('\n')
    : undefined;
  return { blocked, saved: before, draft: after, lost, advice, warning, message };
}
