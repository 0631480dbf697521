// `users report`: the access review, one row per Epinio user, derived from the workspace (the same
// users, roles and mapping both faces show) and, where readable, Dex's own logins. Drift is what
// the server does at the user's next OIDC request (epinio-formats.md §3.4): with roles mapped, an
// existing user's roles are replaced; the groups of that request are the latest login's, or a Dex
// local user's staticPasswords groups. Without either the drift is unknown, never assumed absent.
import type { Login } from './objects.js';
import { splitScopedRole } from './roles.js';
import { simulate } from './simulate.js';
import type { Workspace } from './workspace.js';

/** The connector id of Dex's password DB (Dex local users). */
const LOCAL_CONNECTOR = 'local';

export type AccountSource = 'local password' | 'OIDC login' | 'Dex local user';

export interface AccessRow {
  username: string;
  secretName: string;
  sources: AccountSource[];
  roles: string[];
  /** Roles the server skips: their id is not a role it knows (a typo, a stray space, a new ConfigMap). */
  unknownRoles: string[];
  namespaces: string[];
  /** RFC 3339, from Dex's storage; undefined when not read or never seen. */
  lastLogin?: string;
  /** yes: the next request replaces the roles by `nextRoles`; no: they stay; unknown: no login to go by. */
  drift: 'yes' | 'no' | 'unknown';
  nextRoles?: string[];
  /** What the drift was computed from. */
  basis?: string;
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export function accessReport(ws: Workspace, logins?: readonly Login[]): AccessRow[] {
  const statics = new Map((ws.dexDoc?.staticPasswords() ?? []).map((s) => [s.email, s]));
  const passwordDB = ws.dexDoc?.enablePasswordDB ?? false;
  const known = new Set(ws.knownRoles);
  const entries = ws.mappingDoc.entries();
  return ws.users.map((user) => {
    const mine = (logins ?? [])
      .filter((l) => l.email === user.username)
      .sort((a, b) => (b.lastUsed ?? '').localeCompare(a.lastUsed ?? ''));
    const latest = mine[0];
    const dexLocal = statics.get(user.username);
    const sources: AccountSource[] = [];
    if (user.hasPassword) sources.push('local password');
    if ((!user.hasPassword && !dexLocal) || mine.some((l) => l.connectorId !== LOCAL_CONNECTOR))
      sources.push('OIDC login');
    if (dexLocal) sources.push('Dex local user');
    const row: AccessRow = {
      username: user.username,
      secretName: user.secretName,
      sources,
      roles: user.roles,
      unknownRoles: user.roles.filter((r) => !known.has(splitScopedRole(r).id)),
      namespaces: user.namespaces,
      ...(latest?.lastUsed ? { lastLogin: latest.lastUsed } : {}),
      drift: 'unknown',
    };
    const identity = latest
      ? {
          connectorId: latest.connectorId,
          groups: latest.groups,
          basis: `latest login via ${latest.connectorId}`,
        }
      : dexLocal && passwordDB
        ? { connectorId: LOCAL_CONNECTOR, groups: dexLocal.groups ?? [], basis: 'Dex local user entry' }
        : undefined;
    if (!identity || ws.mappingDoc.fatal.length) return row;
    const result = simulate(entries, {
      connectorId: identity.connectorId,
      groups: identity.groups,
      semantics: ws.semantics,
      knownRoles: ws.knownRoles,
      defaultRole: ws.defaultRole,
    });
    // Legacy Epinio applies the mapping only when it creates a user; modern replaces mapped roles.
    const replaces = ws.semantics === 'modern' && result.roles.length > 0;
    return {
      ...row,
      drift: replaces && !same(result.roles, user.roles) ? 'yes' : 'no',
      nextRoles: replaces ? result.roles : user.roles,
      basis: identity.basis,
    };
  });
}
