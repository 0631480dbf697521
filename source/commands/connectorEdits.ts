// `connectors add|set|delete|move|rename`: each builds the DexEdit (and MappingEdit) the TUI stages
// for the same change and hands it to the shared write flow (stage.ts).
import { readFileSync } from 'node:fs';
import { isMap, parseDocument } from 'yaml';
import { CONNECTOR_SCHEMAS, TEST_CONNECTOR_TYPES, schemaFor } from '../domain/connectorSchemas.js';
import type { DexEdit } from '../domain/dexConfig.js';
import type { MappingEdit } from '../domain/mappingEdits.js';
import { connectorIdError } from '../domain/userInput.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagBool, flagList, flagString, type CommandContext } from './context.js';
import { requireConnector, loadWorkspace, requireConfig } from './load.js';
import { parseSets, pathOf, readSecrets, type PathValue } from './connectorValues.js';
import { warn } from './print.js';
import { positionFlag, stageAndSave } from './stage.js';

export async function run(ctx: CommandContext): Promise<number> {
  const loaded = await loadWorkspace(ctx);
  const doc = requireConfig(loaded.ws);
  const ids = doc.connectors().map((c) => c.id);
  const stage = (describe: string, dex: DexEdit[], mapping: MappingEdit[] = []) =>
    stageAndSave(ctx, loaded, { dex, mapping }, describe);
  const mappingRefs = (id: string) =>
    loaded.ws.mappingDoc.entries().filter((e) => e.connectorId === id).length;

  switch (ctx.spec.path[1]) {
    case 'add': {
      const [type, id] = ctx.args;
      if (!schemaFor(type) && !(TEST_CONNECTOR_TYPES as readonly string[]).includes(type))
        throw new CommandError(
          `unknown connector type "${type}"`,
          EXIT.usage,
          `types: ${[...CONNECTOR_SCHEMAS.map((s) => s.type), ...TEST_CONNECTOR_TYPES].join(', ')}`,
        );
      checkId(id, { otherIds: ids, enablePasswordDB: doc.enablePasswordDB });
      const name = flagString(ctx, 'name');
      if (!name?.trim())
        throw new CommandError('--name NAME is required: Dex shows it on the login page', EXIT.usage);
      const config = configFile(flagString(ctx, 'config-file'));
      for (const { path, value } of [...parseSets(ctx, type), ...(await readSecrets(ctx))])
        setIn(config, path, value);
      const to = positionFlag(ctx, 'to', ids.length + 1);
      return stage(`add connector ${id}`, [
        {
          op: 'connector.add',
          connector: { type, id, name: name.trim(), config },
          ...(to !== undefined ? { index: to } : {}),
        },
      ]);
    }
    case 'set': {
      const connector = requireConnector(doc, ctx.args[0]);
      const edits: DexEdit[] = [];
      const name = flagString(ctx, 'name');
      if (name !== undefined) {
        if (!name.trim())
          throw new CommandError('--name cannot be empty: Dex shows it on the login page', EXIT.usage);
        edits.push({ op: 'connector.set', id: connector.id, path: ['name'], value: name.trim() });
      }
      const values: PathValue[] = [
        ...parseSets(ctx, connector.type),
        ...(await readSecrets(ctx)),
        ...flagList(ctx, 'unset').map((k) => ({ path: pathOf(k), value: undefined })),
      ];
      for (const { path, value } of values)
        edits.push({ op: 'connector.set', id: connector.id, path: ['config', ...path], value });
      if (!edits.length)
        throw new CommandError(
          'nothing to set: give --name, --set, --unset or a --secret-* flag',
          EXIT.usage,
        );
      return stage(`change connector ${connector.id}`, edits);
    }
    case 'delete': {
      const { id } = requireConnector(doc, ctx.args[0]);
      const refs = mappingRefs(id);
      const removeRefs = flagBool(ctx, 'remove-mappings');
      if (refs && !removeRefs)
        warn(
          ctx,
          `rolesMapping still has ${refs} entr${refs === 1 ? 'y' : 'ies'} for "${id}"; --remove-mappings removes ${refs === 1 ? 'it' : 'them'}`,
        );
      return stage(
        `delete connector ${id}`,
        [{ op: 'connector.remove', id }],
        removeRefs ? [{ op: 'connector.removeRefs', connectorId: id }] : [],
      );
    }
    case 'move': {
      const { id } = requireConnector(doc, ctx.args[0]);
      const before = flagString(ctx, 'before');
      const to = positionFlag(ctx, 'to', ids.length);
      if ((to === undefined) === (before === undefined))
        throw new CommandError('give exactly one of --to N and --before ID', EXIT.usage);
      let target = to ?? 0;
      if (before !== undefined) {
        requireConnector(doc, before);
        if (before === id) throw new CommandError(`cannot move "${id}" before itself`, EXIT.usage);
        target = ids.filter((c) => c !== id).indexOf(before);
      }
      return stage(`move connector ${id} to position ${target}`, [{ op: 'connector.move', id, to: target }]);
    }
    default: {
      const { id } = requireConnector(doc, ctx.args[0]);
      const to = ctx.args[1];
      checkId(to, { otherIds: ids.filter((c) => c !== id), enablePasswordDB: doc.enablePasswordDB });
      const refs = mappingRefs(id);
      const update = flagBool(ctx, 'update-mappings');
      if (refs && !update)
        warn(
          ctx,
          `rolesMapping still names "${id}" in ${refs} entr${refs === 1 ? 'y' : 'ies'}; --update-mappings renames ${refs === 1 ? 'it' : 'them'} too`,
        );
      return stage(
        `rename connector ${id} to ${to}`,
        [{ op: 'connector.rename', from: id, to }],
        update ? [{ op: 'connector.rename', from: id, to }] : [],
      );
    }
  }
}

function checkId(id: string, context: { otherIds: readonly string[]; enablePasswordDB: boolean }): void {
  const error = connectorIdError(id, context);
  if (error) throw new CommandError(`${error.message}; nothing was written`, EXIT.usage, error.hint);
}

function setIn(config: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = config;
  for (const [i, part] of path.entries()) {
    if (i === path.length - 1) {
      node[part] = value;
      return;
    }
    const next = node[part];
    if (typeof next !== 'object' || next === null) node[part] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[part] as Record<string | number, unknown>;
  }
}

/** The -f file: the connector's config mapping as YAML (secrets may be in it: a file is not argv). */
function configFile(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CommandError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      EXIT.usage,
    );
  }
  const doc = parseDocument(text, { version: '1.1' });
  if (doc.errors.length)
    throw new CommandError(`${path} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, EXIT.usage);
  if (doc.contents !== null && !isMap(doc.contents))
    throw new CommandError(
      `${path} must hold the connector's config as a mapping (issuer: …, clientID: …)`,
      EXIT.usage,
    );
  return (doc.toJS() as Record<string, unknown> | null) ?? {};
}
