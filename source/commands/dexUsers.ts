// `dex-users list|add|set-password|remove`: Dex local users, the staticPasswords of config.yaml.
// Passwords come from stdin or a masked prompt (passwordInput.ts) and are hashed at the cost the
// TUI uses for Dex; the edits go through the shared write flow (stage.ts). Hashes are never shown.
import { randomUUID } from 'node:crypto';
import { dexEmailError } from '../domain/userInput.js';
import { hashPassword } from '../password/hash.js';
import { DEX_DEFAULT_COST } from '../password/policy.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagList, flagString, type CommandContext } from './context.js';
import { loadWorkspace, requireConfig } from './load.js';
import { obtainPassword } from './passwordInput.js';
import { emit, table, warn } from './print.js';
import { stageAndSave } from './stage.js';

export async function run(ctx: CommandContext): Promise<number> {
  const loaded = await loadWorkspace(ctx);
  const doc = requireConfig(loaded.ws);
  const users = doc.staticPasswords();
  if (!doc.enablePasswordDB && ctx.spec.path[1] !== 'remove')
    warn(ctx, 'enablePasswordDB is not true in config.yaml: Dex local users cannot log in until it is');
  const email = ctx.args[0];
  const find = () => {
    const user = users.find((u) => u.email.toLowerCase() === email.toLowerCase());
    if (!user)
      throw new CommandError(
        `there is no Dex local user "${email}" in config.yaml`,
        EXIT.notFound,
        users.length
          ? `Dex local users: ${users.map((u) => u.email).join(', ')}`
          : 'config.yaml has no staticPasswords',
      );
    return user;
  };
  const stage = (describe: string, ...dex: Parameters<typeof stageAndSave>[2]['dex']) =>
    stageAndSave(ctx, loaded, { dex, mapping: [] }, describe);

  switch (ctx.spec.path[1]) {
    case 'list': {
      const rows = users.map((u) => ({
        email: u.email,
        username: u.username ?? '',
        userID: u.userID ?? '',
        groups: u.groups ?? [],
        password: u.hash ? 'hash' : u.hashFromEnv ? `from env ${u.hashFromEnv}` : 'none',
      }));
      emit(ctx, rows, () =>
        rows.length
          ? table(
              ctx,
              ['email', 'username', 'user id', 'groups', 'password'],
              rows.map((r) => [r.email, r.username, r.userID, r.groups, r.password]),
            )
          : 'no Dex local users (staticPasswords is empty)\n',
      );
      return EXIT.ok;
    }
    case 'add': {
      const invalid = dexEmailError(
        email,
        users.map((u) => u.email),
      );
      if (invalid)
        throw new CommandError(`${invalid.message}; nothing was written`, EXIT.usage, invalid.hint);
      const username = flagString(ctx, 'username');
      const groups = flagList(ctx, 'group');
      const hash = await hashPassword(await obtainPassword(ctx, email), DEX_DEFAULT_COST);
      return stage(`add Dex local user ${email}`, {
        op: 'static.add',
        entry: {
          email,
          ...(username ? { username } : {}),
          userID: randomUUID(),
          hash,
          ...(groups.length ? { groups } : {}),
        },
      });
    }
    case 'set-password': {
      const user = find();
      const hash = await hashPassword(await obtainPassword(ctx, user.email), DEX_DEFAULT_COST);
      return stage(`new password for Dex local user ${user.email}`, {
        op: 'static.setHash',
        email: user.email,
        hash,
      });
    }
    default: {
      const user = find();
      return stage(`remove Dex local user ${user.email}`, { op: 'static.remove', email: user.email });
    }
  }
}
