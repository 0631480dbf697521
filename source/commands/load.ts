// Reading what the commands show: the snapshot's domain workspace (the same derivation as the
// TUI's), and the operator messages for a config.yaml a command cannot work without.
import type { Connector, DexConfigDocument } from '../domain/dexConfig.js';
import { CONFIG_KEY, DEX_CONFIG } from '../domain/names.js';
import type { SecretObject, Snapshot } from '../domain/objects.js';
import type { EpinioUser } from '../domain/users.js';
import { deriveWorkspace, type Workspace } from '../domain/workspace.js';
import type { SnapshotOptions } from '../store/types.js';
import { EXIT } from './exitCodes.js';
import { CommandError, type CommandContext } from './context.js';

/** The snapshot and its workspace: what every command that shows or checks more than one object reads. */
export async function loadWorkspace(
  ctx: CommandContext,
  options?: SnapshotOptions,
): Promise<{ snapshot: Snapshot; ws: Workspace }> {
  const store = await ctx.openStore();
  const snapshot = await store.loadSnapshot(options);
  return { snapshot, ws: deriveWorkspace(snapshot) };
}

/** config.yaml, for commands that cannot work without it: missing => exit 4, unreadable => exit 1. */
export function requireConfig(ws: Workspace): DexConfigDocument {
  if (ws.dexDoc) return ws.dexDoc;
  const problem = ws.dexProblems[0];
  if (problem?.code === 'dex.missing') {
    throw new CommandError(
      problem.message,
      EXIT.notFound,
      'restore a backup with `backups list` and `backups restore ID`',
    );
  }
  throw new CommandError(
    `cannot read ${CONFIG_KEY} in Secret "${DEX_CONFIG}": ${ws.dexParseError ?? 'unknown error'}`,
    EXIT.failure,
    'run `validate` for every problem',
  );
}

/** The connector with this id: not found => exit 4, naming the ids there are. */
export function requireConnector(doc: DexConfigDocument, id: string): Connector {
  const connector = doc.connector(id);
  if (connector) return connector;
  const ids = doc.connectors().map((c) => c.id);
  throw new CommandError(
    `connector "${id}" not found in config.yaml`,
    EXIT.notFound,
    ids.length ? `connector ids: ${ids.join(', ')}` : 'config.yaml has no connectors',
  );
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
