// The roles one identity has after its next request, under one state of dex-config and the user
// Secrets (a "side": the saved state or the draft). simulate() says what the mapping grants; this adds
// what Epinio then does with the user Secret (epinio-formats.md §3.4 step 5, §3.5) and whether the
// identity can log in at all (its connector, its Dex local user, a parseable rolesMapping).
import type { DexConfigDocument } from './dexConfig.js';
import { splitScopedRole } from './roles.js';
import type { MappingEntry, RolesMappingDocument, Semantics } from './rolesMapping.js';
import { simulate, type SimulationResult } from './simulate.js';
import type { EpinioUser } from './users.js';

/** A Dex local user (staticPasswords entry), as far as the impact rules need it: never its hash. */
export interface StaticUser {
  email: string;
  username?: string;
  groups?: string[];
}

/** One state of everything that decides an identity's roles. */
export interface ImpactSide {
  entries: MappingEntry[];
  /** Why rolesMapping cannot be parsed (every OIDC request then fails), when it cannot. */
  mappingFatal?: string;
  /** Connector ids of config.yaml; undefined when config.yaml cannot be read (Dex does not start). */
  connectorIds?: string[];
  enablePasswordDB: boolean;
  staticUsers: StaticUser[];
  users: EpinioUser[];
}

/** What is the same on both sides: the server's roles and the semantics it evaluates with. */
export interface ImpactContext {
  knownRoles: string[];
  defaultRole?: string;
  semantics: Semantics;
}

/** Who logs in: the connector, the email claim (the Epinio username) and the groups of the token. */
export interface IdentityClaims {
  connectorId: string;
  email: string;
  groups: string[];
}

export type OutcomeSource = 'mapping' | 'secret' | 'default' | 'created' | 'none' | 'blocked';

export interface Outcome {
  /** false: this identity cannot get in at all (reason says why); roles are then []. */
  canLogIn: boolean;
  /** The roles the user has after the request, sorted. */
  roles: string[];
  source: OutcomeSource;
  /** One sentence: where the roles come from, or why the identity cannot get in. */
  reason: string;
  /** The mapping's evaluation, when the request got that far. */
  simulation?: SimulationResult;
}

export const ADMIN = 'admin';

/** A global `admin` (not `admin:<namespace>`): the role the lockout guard is about. */
export function hasAdmin(roles: readonly string[]): boolean {
  return roles.includes(ADMIN);
}

export function sideFrom(
  dexDoc: DexConfigDocument | null,
  mappingDoc: RolesMappingDocument,
  users: EpinioUser[],
): ImpactSide {
  const fatal = mappingDoc.fatal;
  return {
    entries: mappingDoc.entries(),
    mappingFatal: fatal.length ? fatal[0]!.message : undefined,
    connectorIds: dexDoc ? dexDoc.connectors().map((c) => c.id) : undefined,
    enablePasswordDB: dexDoc?.enablePasswordDB ?? false,
    staticUsers: dexDoc
      ? dexDoc.staticPasswords().map((s) => ({ email: s.email, username: s.username, groups: s.groups }))
      : [],
    users,
  };
}

export const LOCAL = 'local';

/** Dex compares local emails without case (it lower-cases them for its lookup). */
export function findStatic(side: ImpactSide, email: string): StaticUser | undefined {
  const lower = email.toLowerCase();
  return side.staticUsers.find((s) => s.email.toLowerCase() === lower);
}

/** Why this connector cannot log anybody in on this side, or undefined when it can. */
export function connectorGone(side: ImpactSide, connectorId: string, email: string): string | undefined {
  if (!side.connectorIds) return 'config.yaml cannot be read, so Dex does not start';
  if (connectorId === LOCAL) {
    if (!side.enablePasswordDB) return 'enablePasswordDB is off, so Dex local users cannot log in';
    if (!findStatic(side, email)) return `Dex local user "${email}" is not in staticPasswords`;
    return undefined;
  }
  if (!side.connectorIds.includes(connectorId))
    return `connector "${connectorId}" is not in config.yaml, so its identities cannot log in`;
  return undefined;
}

/** The user's roles that the running server knows (the others are dropped at the next request),
 *  as Epinio holds them. */
export function knownUserRoles(user: EpinioUser, knownRoles: readonly string[]): string[] {
  const known = new Set(knownRoles);
  return user.roles.filter((r) => known.has(splitScopedRole(r).id)).map(epinioRoleForm);
}

const blocked = (reason: string): Outcome => ({ canLogIn: false, roles: [], source: 'blocked', reason });

/** A role as Epinio holds it after parsing (ParseRoleID splits at every ":" and keeps the first two
 *  parts): `admin:` is the global `admin`, `a:b:c` is `a` in namespace `b`. */
export function epinioRoleForm(role: string): string {
  const [id, namespace] = role.split(':');
  return namespace ? `${id}:${namespace}` : id!;
}

const sorted = (roles: readonly string[]) => [...new Set(roles.map(epinioRoleForm))].sort();

/** The roles an identity has after its next OIDC request on this side. */
export function nextRequest(
  side: ImpactSide,
  ctx: ImpactContext,
  who: IdentityClaims,
  semantics: Semantics = ctx.semantics,
): Outcome {
  const gone = connectorGone(side, who.connectorId, who.email);
  if (gone) return blocked(gone);
  if (side.mappingFatal)
    return blocked(`rolesMapping cannot be parsed, so every OIDC request fails: ${side.mappingFatal}`);
  const secrets = side.users.filter((u) => u.username === who.email);
  if (secrets.length > 1)
    return blocked(`user "${who.email}" is defined by ${secrets.length} Secrets, so Epinio rejects it`);
  const simulation = simulate(side.entries, {
    connectorId: who.connectorId,
    groups: who.groups,
    semantics,
    knownRoles: ctx.knownRoles,
    defaultRole: ctx.defaultRole,
  });
  const user = secrets[0];
  return { canLogIn: true, simulation, ...applyToUser(simulation.roles, user, ctx, semantics) };
}

/** Epinio's step 5: what the mapped roles do to the user Secret (or to a user it creates). */
export function applyToUser(
  mapped: readonly string[],
  user: EpinioUser | undefined,
  ctx: ImpactContext,
  semantics: Semantics,
): Pick<Outcome, 'roles' | 'source' | 'reason'> {
  const fallback = (what: string): Pick<Outcome, 'roles' | 'source' | 'reason'> =>
    ctx.defaultRole
      ? {
          roles: [ctx.defaultRole],
          source: 'default',
          reason: `${what}, so it gets the default role "${ctx.defaultRole}"`,
        }
      : {
          roles: [],
          source: 'none',
          reason: `${what} and there is no default role, so it has no role at all`,
        };
  if (user) {
    const current = knownUserRoles(user, ctx.knownRoles);
    if (semantics === 'modern' && mapped.length)
      return {
        roles: sorted(mapped),
        source: 'mapping',
        reason: 'the mapped roles replace the roles of its Secret',
      };
    const why =
      semantics === 'legacy'
        ? 'Epinio ≤ 1.10 applies the mapping only when it creates a user'
        : 'nothing is mapped';
    if (current.length)
      return {
        roles: sorted(current),
        source: 'secret',
        reason: `${why}, so it keeps the roles of its Secret`,
      };
    return fallback(`${why} and its Secret has no known role`);
  }
  if (mapped.length)
    return {
      roles: sorted(mapped),
      source: 'created',
      reason: 'no Secret yet: Epinio creates the user with the mapped roles',
    };
  if (semantics === 'legacy')
    return {
      roles: [],
      source: 'none',
      reason: 'no Secret yet: Epinio creates the user with no role (its first matching group has no role:)',
    };
  return fallback('no Secret yet and nothing is mapped');
}

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return a.canLogIn === b.canLogIn && a.roles.join(',') === b.roles.join(',');
}
