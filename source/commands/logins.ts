// `logins list`: who logged in through Dex, with the groups of their latest login, read from Dex's
// Kubernetes storage (store.listLogins: claims and times only, never a token value), and the
// Epinio user Secret each identity is (by email, as epinio-server names its OIDC users).
import {
  NO_LOGINS,
  NO_LOGINS_HINT,
  filterLogins,
  formatLoginTime,
  loginName,
  loginUser,
} from '../domain/logins.js';
import type { Login } from '../domain/objects.js';
import { usersFromSecrets, type EpinioUser } from '../domain/users.js';
import { EXIT } from './exitCodes.js';
import { flagList, type CommandContext } from './context.js';
import { emit, note, table } from './print.js';

export function loginView(l: Login, users: readonly EpinioUser[]) {
  const user = loginUser(l, users);
  return {
    connectorId: l.connectorId,
    userId: l.userId,
    username: l.username,
    preferredUsername: l.preferredUsername ?? '',
    email: l.email,
    emailVerified: l.emailVerified ?? false,
    groups: l.groups,
    lastUsed: l.lastUsed ?? null,
    clientId: l.clientId ?? null,
    tokens: l.tokens,
    /** The user Secret this identity is (null: no email claim, Epinio cannot name it). */
    userSecret: user?.secretName ?? null,
    /** False: epinio-server creates that Secret at the identity's next request. */
    userExists: user?.exists ?? false,
  };
}

export async function run(ctx: CommandContext): Promise<number> {
  const store = await ctx.openStore();
  // Both reads at once; the logins' failure is the one to report (this command is about them).
  const [logins, users] = await Promise.allSettled([store.listLogins(), store.listUsers()]);
  if (logins.status === 'rejected') throw logins.reason;
  if (users.status === 'rejected') throw users.reason;
  const connectors = flagList(ctx, 'connector');
  const all = logins.value;
  const epinioUsers = usersFromSecrets(users.value);
  const rows = filterLogins(all, connectors).map((l) => loginView(l, epinioUsers));
  emit(ctx, rows, () => {
    if (!rows.length) {
      if (all.length)
        return `no logins of connector ${connectors.join(', ')} (${all.length} login${all.length === 1 ? '' : 's'} of other connectors)\n`;
      note(ctx, `hint: ${NO_LOGINS_HINT}`);
      return `${NO_LOGINS}\n`;
    }
    return table(
      ctx,
      ['connector', 'email / username', 'groups', 'last used', 'user secret'],
      rows.map((r) => [
        r.connectorId,
        loginName(r) + (r.email && r.username && r.username !== r.email ? ` (${r.username})` : ''),
        r.groups,
        formatLoginTime(r.lastUsed ?? undefined),
        r.userSecret === null ? '- (no email claim)' : r.userExists ? r.userSecret : `${r.userSecret} (new)`,
      ]),
    );
  });
  return EXIT.ok;
}
