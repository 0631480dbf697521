// The user commands that write: set-password, set-roles, create, delete. Each one checks all its
// input before the first write, so a bad role or password leaves the cluster untouched.
import { computeImpact, withDraftUsers } from '../domain/impact.js';
import { rolesError, usernameError } from '../domain/userInput.js';
import type { SecretObject, Snapshot } from '../domain/objects.js';
import type { Workspace } from '../domain/workspace.js';
import {
  formatRolesAnnotation,
  serverSecretName,
  userFromSecret,
  usersFromSecrets,
} from '../domain/users.js';
import { hashPassword } from '../password/hash.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagBool, flagList, type CommandContext } from './context.js';
import { findUser, loadWorkspace } from './load.js';
import { guardLockout } from './lockoutGuard.js';
import { readLogins } from './loginsRead.js';
import { obtainPassword, parseCost } from './passwordInput.js';
import { emit, warn } from './print.js';
import { userView } from './users.js';

export async function run(ctx: CommandContext): Promise<number> {
  switch (ctx.spec.path[1]) {
    case 'set-password':
      return setPassword(ctx);
    case 'set-roles':
      return setRoles(ctx);
    case 'create':
      return create(ctx);
    default:
      return remove(ctx);
  }
}

const helmWarning = (secretName: string) =>
  `Secret "${secretName}" is managed by Helm; a \`helm upgrade\` may overwrite this change`;

async function setPassword(ctx: CommandContext): Promise<number> {
  const username = ctx.args[0];
  const cost = parseCost(ctx);
  const dryRun = flagBool(ctx, 'dry-run');
  const store = await ctx.openStore();
  const secrets = await store.listUsers();
  const { user, secret } = findUser(usersFromSecrets(secrets), secrets, username);
  const password = await obtainPassword(ctx, username);
  const hash = await hashPassword(password, cost);
  if (!dryRun) {
    if (user.helmManaged) warn(ctx, helmWarning(user.secretName));
    await store.setUserPassword(secret, hash);
  }
  const value = { username, secretName: user.secretName, cost, dryRun };
  emit(ctx, value, () =>
    dryRun
      ? `dry run: the password for "${username}" is acceptable and was hashed (bcrypt cost ${cost}); nothing was written\n`
      : `password set for "${username}" (Secret ${user.secretName}, bcrypt cost ${cost}); it applies to the next request\n`,
  );
  return EXIT.ok;
}

/** The --role values, checked by the domain's rule (the same as the UI's role fields). */
function checkRoles(ctx: CommandContext, known: string[], required: boolean): string[] {
  const roles = flagList(ctx, 'role');
  if (required && !roles.length) throw new CommandError('at least one --role is required', EXIT.usage);
  const error = rolesError(roles, known);
  if (error) throw new CommandError(`${error.message}; nothing was written`, EXIT.failure, error.hint);
  return roles;
}

async function setRoles(ctx: CommandContext): Promise<number> {
  const username = ctx.args[0];
  const { snapshot, ws } = await loadWorkspace(ctx);
  const roles = checkRoles(ctx, ws.knownRoles, true);
  const { user, secret } = findUser(ws.users, snapshot.users, username);
  if (user.helmManaged) warn(ctx, helmWarning(user.secretName));
  if (!user.hasPassword && ws.mappingDoc.entries().length) {
    warn(
      ctx,
      `"${username}" has no password, so it logs in through Dex: if its groups map to roles in rolesMapping, its next request replaces these roles`,
    );
  }
  const store = await ctx.openStore();
  const annotation = formatRolesAnnotation(roles);
  await guardUserEdit(ctx, { snapshot, ws }, `set the roles of "${username}"`, (s) =>
    s.name === secret.name
      ? [{ ...s, annotations: { ...s.annotations, 'epinio.io/roles': annotation } }]
      : [s],
  );
  const updated = userFromSecret(await store.setUserRoles(secret, annotation));
  const value = userView(updated);
  emit(ctx, value, () => `roles of "${username}" set to ${updated.roles.join(', ')}\n`);
  return EXIT.ok;
}

async function create(ctx: CommandContext): Promise<number> {
  const username = ctx.args[0];
  const cost = parseCost(ctx);
  const dryRun = flagBool(ctx, 'dry-run');
  const noPassword = flagBool(ctx, 'no-password');
  if (noPassword && flagBool(ctx, 'password-stdin'))
    throw new CommandError('--no-password and --password-stdin cannot be used together', EXIT.usage);
  const invalid = usernameError(username);
  if (invalid) throw new CommandError(invalid.message, EXIT.failure, invalid.hint);
  const { ws } = await loadWorkspace(ctx);
  const roles = checkRoles(ctx, ws.knownRoles, false);
  const existing = ws.users.find((u) => u.username === username);
  if (existing)
    throw new CommandError(
      `user "${username}" already exists (Secret ${existing.secretName}); nothing was written`,
      EXIT.conflict,
      'change it with `users set-password` or `users set-roles`',
    );
  const passwordHash = noPassword ? undefined : await hashPassword(await obtainPassword(ctx, username), cost);
  // Unique and sorted, as Epinio itself writes the annotation.
  const normalized = roles.length ? formatRolesAnnotation(roles).split(',') : [];
  const secretName = dryRun
    ? serverSecretName(username)
    : (await (await ctx.openStore()).createUser({ username, passwordHash, roles: normalized })).name;
  const value = {
    username,
    secretName,
    roles: normalized,
    hasPassword: !noPassword,
    ...(noPassword ? {} : { cost }),
    dryRun,
  };
  emit(ctx, value, () =>
    dryRun
      ? `dry run: user "${username}" would be created as Secret ${secretName}; nothing was written\n`
      : `user "${username}" created (Secret ${secretName})\n`,
  );
  return EXIT.ok;
}

async function remove(ctx: CommandContext): Promise<number> {
  const username = ctx.args[0];
  if (!flagBool(ctx, 'yes'))
    throw new CommandError(`refusing to delete user "${username}" without --yes`, EXIT.usage);
  const { snapshot, ws } = await loadWorkspace(ctx);
  const { user, secret } = findUser(ws.users, snapshot.users, username);
  await guardUserEdit(ctx, { snapshot, ws }, `delete user "${username}"`, (s) =>
    s.name === secret.name ? [] : [s],
  );
  if (user.helmManaged) warn(ctx, helmWarning(user.secretName));
  const store = await ctx.openStore();
  await store.deleteUser(secret);
  emit(
    ctx,
    { username, secretName: user.secretName, deleted: true },
    () => `user "${username}" deleted (Secret ${user.secretName})\n`,
  );
  return EXIT.ok;
}

/** The lockout guard for a change of the user Secrets: `edit` maps each Secret to what replaces it. */
async function guardUserEdit(
  ctx: CommandContext,
  loaded: { snapshot: Snapshot; ws: Workspace },
  describe: string,
  edit: (s: SecretObject) => SecretObject[],
): Promise<void> {
  const { snapshot, ws } = loaded;
  const read = await readLogins(await ctx.openStore());
  const secrets = snapshot.users.flatMap(edit);
  const input = { ...ws.impactInput, logins: read.logins };
  const impact = computeImpact(withDraftUsers(input, usersFromSecrets(secrets, ws.knownRoles)));
  guardLockout(ctx, impact, describe);
}
