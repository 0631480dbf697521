// `mappings add-entry|add-group|set-roles|remove|move|convert`: entries are named by their
// connector id and groups by their id, as the operator reads them in `mappings list`; each command
// builds the MappingEdit the TUI stages for the same change and hands it to stage.ts.
import type { MappingEdit } from '../domain/mappingEdits.js';
import type { MappingEntry } from '../domain/mappingTypes.js';
import { connectorIdError, groupIdError, rolesError, splitRolesText } from '../domain/userInput.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagString, type CommandContext } from './context.js';
import { loadWorkspace } from './load.js';
import { warn } from './print.js';
import { positionFlag, stageAndSave, type Loaded } from './stage.js';

export async function run(ctx: CommandContext): Promise<number> {
  const loaded = await loadWorkspace(ctx);
  const doc = loaded.ws.mappingDoc;
  if (doc.fatal.length && ctx.spec.path[1] !== 'convert')
    throw new CommandError(
      `cannot edit rolesMapping: ${doc.fatal.map((p) => p.message).join('; ')}; nothing was written`,
      EXIT.failure,
      'run `validate` for details',
    );
  const entries = doc.entries();
  const stage = (describe: string, ...mapping: MappingEdit[]) =>
    stageAndSave(ctx, loaded, { dex: [], mapping }, describe);
  const [connectorId, groupId] = ctx.args;

  switch (ctx.spec.path[1]) {
    case 'add-entry': {
      checkConnectorId(connectorId);
      if (entries.some((e) => e.connectorId === connectorId))
        throw new CommandError(
          `rolesMapping already has an entry for connector "${connectorId}"; nothing was written`,
          EXIT.usage,
          `add groups to it with \`mappings add-group ${connectorId} GROUP --roles R\``,
        );
      const to = positionFlag(ctx, 'to', entries.length + 1);
      return stage(`add mapping entry ${connectorId}`, {
        op: 'entry.add',
        connectorId,
        ...(to !== undefined ? { index: to } : {}),
      });
    }
    case 'add-group': {
      checkConnectorId(connectorId);
      checkGroup(groupId);
      const roles = checkRoles(ctx, loaded);
      const found = entries.findIndex((e) => e.connectorId === connectorId);
      if (found >= 0 && entries[found].groups.some((g) => g.id === groupId))
        throw new CommandError(
          `group "${groupId}" is already mapped for connector "${connectorId}"; nothing was written`,
          EXIT.usage,
          `change its roles with \`mappings set-roles ${connectorId} ${groupId} --roles R\``,
        );
      // A group for a connector without an entry gets the entry too, as the TUI's form does.
      const entry = found >= 0 ? found : entries.length;
      const to = positionFlag(ctx, 'to', (found >= 0 ? entries[found].groups.length : 0) + 1);
      return stage(
        `map group ${groupId} of ${connectorId} to ${roles.join(', ')}`,
        ...(found >= 0 ? [] : [{ op: 'entry.add', connectorId } as const]),
        { op: 'group.add', entry, group: { id: groupId, roles }, ...(to !== undefined ? { index: to } : {}) },
      );
    }
    case 'set-roles': {
      const entry = findEntry(ctx, entries, connectorId);
      const group = findGroup(entries[entry], groupId);
      const roles = checkRoles(ctx, loaded);
      return stage(`set the roles of group ${groupId} of ${connectorId} to ${roles.join(', ')}`, {
        op: 'group.set',
        entry,
        group,
        roles,
      });
    }
    case 'remove': {
      const entry = findEntry(ctx, entries, connectorId);
      if (groupId === undefined)
        return stage(`remove mapping entry ${connectorId}`, { op: 'entry.remove', index: entry });
      const group = findGroup(entries[entry], groupId);
      return stage(`remove group ${groupId} of ${connectorId}`, { op: 'group.remove', entry, group });
    }
    case 'move': {
      const entry = findEntry(ctx, entries, connectorId);
      if (groupId === undefined) {
        const to = required(positionFlag(ctx, 'to', entries.length));
        return stage(`move mapping entry ${connectorId} to position ${to}`, {
          op: 'entry.move',
          from: entry,
          to,
        });
      }
      const group = findGroup(entries[entry], groupId);
      const to = required(positionFlag(ctx, 'to', entries[entry].groups.length));
      return stage(`move group ${groupId} of ${connectorId} to position ${to}`, {
        op: 'group.move',
        entry,
        from: group,
        to,
      });
    }
    default: {
      const connector = flagString(ctx, 'connector');
      if (connector !== undefined) checkConnectorId(connector);
      return stage('convert rolesMapping to the modern format', {
        op: 'fix.convertToModern',
        ...(connector !== undefined ? { connectorId: connector } : {}),
      });
    }
  }
}

function checkConnectorId(id: string): void {
  // The form of an id only: rolesMapping may name a connector config.yaml does not have yet
  // (validation reports that), and "local" is the password database's id.
  const error = connectorIdError(id, { otherIds: [], enablePasswordDB: false });
  if (error) throw new CommandError(`${error.message}; nothing was written`, EXIT.usage, error.hint);
}

function checkGroup(id: string): void {
  const error = groupIdError(id);
  if (error) throw new CommandError(`${error.message}; nothing was written`, EXIT.usage, error.hint);
}

function checkRoles(ctx: CommandContext, loaded: Loaded): string[] {
  const roles = splitRolesText(flagString(ctx, 'roles') ?? '');
  if (!roles.length) throw new CommandError('--roles R1,R2 is required (at least one role)', EXIT.usage);
  const error = rolesError(roles, loaded.ws.knownRoles);
  if (error) throw new CommandError(`${error.message}; nothing was written`, EXIT.usage, error.hint);
  return roles;
}

function findEntry(ctx: CommandContext, entries: MappingEntry[], connectorId: string): number {
  const matches = entries.flatMap((e, i) => (e.connectorId === connectorId ? [i] : []));
  if (!matches.length)
    throw new CommandError(
      `rolesMapping has no entry for connector "${connectorId}"`,
      EXIT.notFound,
      entries.length ? `entries: ${entries.map((e) => e.connectorId).join(', ')}` : 'rolesMapping is empty',
    );
  if (matches.length > 1)
    warn(
      ctx,
      `rolesMapping has ${matches.length} entries for "${connectorId}"; this edits the first, the one Epinio uses`,
    );
  return matches[0];
}

function findGroup(entry: MappingEntry, groupId: string): number {
  const index = entry.groups.findIndex((g) => g.id === groupId);
  if (index < 0)
    throw new CommandError(
      `connector "${entry.connectorId}" has no mapped group "${groupId}" (group ids are compared exactly)`,
      EXIT.notFound,
      entry.groups.length ? `groups: ${entry.groups.map((g) => g.id).join(', ')}` : 'the entry has no groups',
    );
  return index;
}

function required(n: number | undefined): number {
  if (n === undefined) throw new CommandError('--to N is required (0 is the first position)', EXIT.usage);
  return n;
}
