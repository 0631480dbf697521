// `users list`: the Epinio user Secrets. Never prints a hash: only whether a password is set.
import type { EpinioUser } from '../domain/users.js';
import { EXIT } from './exitCodes.js';
import type { CommandContext } from './context.js';
import { deriveUsers } from '../domain/workspaceUsers.js';
import { emit, table } from './print.js';

export function userView(u: EpinioUser) {
  return {
    username: u.username,
    secretName: u.secretName,
    roles: u.roles,
    namespaces: u.namespaces,
    hasPassword: u.hasPassword,
    duplicate: u.duplicate,
    secretType: u.secretType,
    helmManaged: u.helmManaged,
    problems: u.problems.length,
  };
}

export async function run(ctx: CommandContext): Promise<number> {
  // Nothing here depends on the Epinio or Dex version: no Deployment reads on this start path.
  // The users alone, as the workspace derives them (domain/workspaceUsers.ts): no document parsed.
  const store = await ctx.openStore();
  const users = deriveUsers(await store.loadSnapshot({ versions: false })).map(userView);
  emit(ctx, users, () =>
    users.length
      ? table(
          ctx,
          ['username', 'roles', 'namespaces', 'password', 'secret', 'notes'],
          users.map((u) => [
            u.username,
            u.roles,
            u.namespaces,
            u.hasPassword,
            u.secretName,
            [
              ...(u.duplicate ? ['DUPLICATE'] : []),
              ...(u.helmManaged ? ['helm'] : []),
              ...(u.problems ? [`${u.problems} problem${u.problems === 1 ? '' : 's'}`] : []),
            ].join(' '),
          ]),
        )
      : 'no users\n',
  );
  return EXIT.ok;
}
