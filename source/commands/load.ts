// Reading the objects every command needs and turning parse failures into operator messages.
import { DexConfigDocument, DexConfigParseError } from '../domain/dexConfig.js';
import { RolesMappingDocument } from '../domain/rolesMapping.js';
import { roleIdsForValidation, rolesFromConfigMaps, type EpinioRole } from '../domain/roles.js';
import { usersFromSecrets, type EpinioUser } from '../domain/users.js';
import type { SecretObject, Snapshot } from '../store/types.js';
import { EXIT } from './exitCodes.js';
import { CommandError } from './context.js';

export function parseDexConfig(secret: SecretObject): DexConfigDocument {
  const text = secret.data['config.yaml'];
  if (text === undefined) {
    throw new CommandError(
      `Secret "${secret.name}" has no key config.yaml`,
      EXIT.notFound,
      'Dex cannot start without it; restore a backup with `backups list` and `backups restore ID`',
    );
  }
  try {
    return DexConfigDocument.parse(text);
  } catch (err) {
    if (err instanceof DexConfigParseError) {
      // The parser's message already names the line and what it breaks.
      throw new CommandError(
        `cannot read config.yaml in Secret "${secret.name}": ${err.message}`,
        EXIT.failure,
        'run `validate` for every problem',
      );
    }
    throw err;
  }
}

export function parseRolesMapping(secret: SecretObject): RolesMappingDocument {
  return RolesMappingDocument.parse(secret.data.rolesMapping ?? '');
}

export interface RoleView {
  roles: EpinioRole[];
  knownRoleIds: string[];
  defaultRole?: string;
}

export function loadRoles(snapshot: Pick<Snapshot, 'roleConfigMaps' | 'epinioServerStartedAt'>): RoleView {
  const roles = rolesFromConfigMaps(snapshot.roleConfigMaps, snapshot.epinioServerStartedAt);
  return { roles, knownRoleIds: roleIdsForValidation(roles), defaultRole: roles.find((r) => r.default)?.id };
}

export function loadUsers(secrets: SecretObject[], knownRoleIds?: string[]): EpinioUser[] {
  return usersFromSecrets(secrets, knownRoleIds);
}

/** The user Secret for USERNAME: not found => exit 4; defined twice => exit 1 (Epinio rejects that user too). */
export function findUser(
  users: EpinioUser[],
  secrets: SecretObject[],
  username: string,
): { user: EpinioUser; secret: SecretObject } {
  const matches = users.filter((u) => u.username === username);
  if (!matches.length) {
    const other = users.find((u) => u.username.toLowerCase() === username.toLowerCase());
    throw new CommandError(
      `user "${username}" not found`,
      EXIT.notFound,
      other
        ? `usernames are case-sensitive; did you mean "${other.username}"?`
        : 'list the users with `users list`',
    );
  }
  if (matches.length > 1) {
    throw new CommandError(
      `user "${username}" is defined by ${matches.length} Secrets (${matches.map((m) => m.secretName).join(', ')}); Epinio rejects this user until only one remains`,
      EXIT.failure,
      'delete the extra Secrets with kubectl, then try again',
    );
  }
  const secret = secrets.find((s) => s.name === matches[0].secretName);
  if (!secret)
    throw new CommandError(`Secret "${matches[0].secretName}" disappeared while reading`, EXIT.notFound);
  return { user: matches[0], secret };
}
