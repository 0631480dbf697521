// Logins: what Dex's own storage knows about the identities that logged in. The stores read Dex's
// RefreshToken and OfflineSessions objects and keep only claims and times (dexStorage.ts in the
// store drops the token values at the first parse); this module folds those records into one Login
// row per identity (connector + user id) and names the Epinio user Secret each row maps to.
import type { Login } from './objects.js';
import type { EpinioUser } from './users.js';
import { serverSecretName } from './users.js';

/** A Dex RefreshToken object without its secrets: its claims, client, connector and times. */
export interface RefreshTokenRecord {
  /** Object name (Dex's refresh token id): only a last tie-break and a key when userID is empty. */
  name: string;
  clientId: string;
  connectorId: string;
  userId: string;
  username: string;
  preferredUsername: string;
  email: string;
  emailVerified: boolean;
  groups: string[];
  /** RFC 3339 as Dex wrote it (Go's zero time means "never"). */
  createdAt?: string;
  lastUsed?: string;
}

/** A Dex OfflineSessions object without its connector data: which refresh tokens an identity holds. */
export interface OfflineSessionRecord {
  userId: string;
  connectorId: string;
  refs: { id: string; clientId: string; createdAt?: string; lastUsed?: string }[];
}

/** Milliseconds of an RFC 3339 time, or undefined for no time, Go's zero time or an unreadable one. */
export function loginTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  // Go's zero time.Time (0001-01-01T00:00:00Z) is how Dex writes "not set".
  if (Number.isNaN(ms) || ms <= Date.UTC(1, 0, 1) + 86_400_000) return undefined;
  return ms;
}

const identityKey = (connectorId: string, userId: string): string => `${connectorId}\u0000${userId}`;

/** Newest first: last used, then created, then name (so the fold does not depend on API order). */
function newer(a: RefreshTokenRecord, b: RefreshTokenRecord): boolean {
  const la = loginTime(a.lastUsed) ?? -Infinity;
  const lb = loginTime(b.lastUsed) ?? -Infinity;
  if (la !== lb) return la > lb;
  const ca = loginTime(a.createdAt) ?? -Infinity;
  const cb = loginTime(b.createdAt) ?? -Infinity;
  if (ca !== cb) return ca > cb;
  return a.name > b.name;
}

/**
 * One row per identity. The claims are those of the identity's most recently used refresh token
 * (Dex refreshes a token's claims from the connector on every refresh, so the newest is the latest
 * login); last used is the latest of its tokens and of its offline session's references. An offline
 * session without any refresh token carries no claims, so it makes no row: its groups are unknown,
 * and an unknown group list must not read as "no groups".
 */
export function foldLogins(
  tokens: readonly RefreshTokenRecord[],
  sessions: readonly OfflineSessionRecord[] = [],
): Login[] {
  const byIdentity = new Map<string, { newest: RefreshTokenRecord; count: number; last?: number }>();
  for (const t of tokens) {
    const key = identityKey(t.connectorId, t.userId || `name:${t.name}`);
    const seen = byIdentity.get(key);
    const used = loginTime(t.lastUsed);
    if (!seen) {
      byIdentity.set(key, { newest: t, count: 1, last: used });
      continue;
    }
    seen.count++;
    if (newer(t, seen.newest)) seen.newest = t;
    if (used !== undefined && (seen.last === undefined || used > seen.last)) seen.last = used;
  }
  for (const s of sessions) {
    const seen = byIdentity.get(identityKey(s.connectorId, s.userId));
    if (!seen) continue;
    for (const ref of s.refs) {
      const used = loginTime(ref.lastUsed);
      if (used !== undefined && (seen.last === undefined || used > seen.last)) seen.last = used;
    }
  }
  const rows: Login[] = [];
  for (const { newest: t, count, last } of byIdentity.values()) {
    const row: Login = {
      connectorId: t.connectorId,
      userId: t.userId,
      username: t.username,
      email: t.email,
      groups: [...t.groups],
      tokens: count,
    };
    if (t.preferredUsername) row.preferredUsername = t.preferredUsername;
    row.emailVerified = t.emailVerified;
    if (last !== undefined) row.lastUsed = new Date(last).toISOString();
    if (t.clientId) row.clientId = t.clientId;
    rows.push(row);
  }
  return sortLogins(rows);
}

/** Connector, then email (or username), then user id: a stable order for tables and diffs. */
export function sortLogins(rows: Login[]): Login[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort(
    (a, b) =>
      cmp(a.connectorId, b.connectorId) ||
      cmp(a.email || a.username, b.email || b.username) ||
      cmp(a.userId, b.userId),
  );
}

/** The Epinio user a login is, by its email claim (Epinio's username for OIDC users, compared exactly). */
export interface LoginUser {
  /** The user Secret's name: the existing one, or the name epinio-server will give it. */
  secretName: string;
  /** False: no user Secret yet; epinio-server creates it at this identity's next request. */
  exists: boolean;
  /** The existing user, when there is one. */
  user?: EpinioUser;
}

export function loginUser(login: Pick<Login, 'email'>, users: readonly EpinioUser[]): LoginUser | undefined {
  // Without an email claim Epinio cannot name the user at all (its OIDC middleware needs the email).
  if (!login.email) return undefined;
  const user = users.find((u) => u.username === login.email);
  if (user) return { secretName: user.secretName, exists: true, user };
  return { secretName: serverSecretName(login.email), exists: false };
}

/** Only logins of these connectors (all when the list is empty). */
export function filterLogins(rows: readonly Login[], connectors: readonly string[]): Login[] {
  if (!connectors.length) return [...rows];
  return rows.filter((r) => connectors.includes(r.connectorId));
}

/** A login time for tables and the screen: minutes, UTC (`2026-12-03 14:02Z`), or `-` when unknown. */
export function formatLoginTime(iso: string | undefined): string {
  if (!iso) return '-';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}

/** The name a login shows: its email, else its username, else Dex's user id. */
export const loginName = (l: Pick<Login, 'email' | 'username' | 'userId'>): string =>
  l.email || l.username || l.userId;

/** What both faces say when Dex's storage holds no login at all. */
export const NO_LOGINS = 'no logins recorded yet';
export const NO_LOGINS_HINT =
  'Dex records a login when someone signs in through it (refresh tokens: the Epinio CLI and UI ask for offline_access)';
