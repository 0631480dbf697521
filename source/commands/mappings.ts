// `mappings list` and `mappings simulate`: the rolesMapping key of dex-config, and which roles a
// login with given groups would get under Epinio's modern (>= 1.11) or legacy (<= 1.10) rules.
import { MAPPING_KEY } from '../domain/names.js';
import { RolesMappingDocument, type Semantics } from '../domain/rolesMapping.js';
import { sanitizeForTerminal as clean } from '../domain/sanitize.js';
import { simulate } from '../domain/simulate.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagList, flagString, type CommandContext } from './context.js';
import { loadWorkspace } from './load.js';
import { emit, table, warn } from './print.js';

export async function run(ctx: CommandContext): Promise<number> {
  return ctx.spec.path[1] === 'list' ? list(ctx) : simulateCommand(ctx);
}

async function list(ctx: CommandContext): Promise<number> {
  // Only dex-config is read: the list shows the document, nothing derived from other objects.
  const store = await ctx.openStore();
  const doc = RolesMappingDocument.parse((await store.getDexConfig()).data[MAPPING_KEY] ?? '');
  const fatal = doc.fatal.map((p) => ({ code: p.code, message: p.message, path: p.path }));
  const entries = doc.entries().map((e) => ({
    connectorId: e.connectorId,
    groups: e.groups.map((g) => ({
      id: g.id,
      roles: g.roles,
      ...(g.legacyRole !== undefined ? { legacyRole: g.legacyRole } : {}),
    })),
  }));
  const value = { format: doc.format, entries, ...(fatal.length ? { fatal } : {}) };
  emit(ctx, value, () => {
    const rows = entries.flatMap((e) =>
      e.groups.map((g) => [
        e.connectorId,
        g.id,
        g.roles.length ? g.roles : g.legacyRole !== undefined ? `(legacy role: ${g.legacyRole})` : '',
      ]),
    );
    return rows.length
      ? table(ctx, ['connector', 'group', 'roles'], rows)
      : `no mappings (format: ${doc.format})\n`;
  });
  // Listing still succeeds: `validate` is the command that fails on problems.
  for (const p of fatal) warn(ctx, `${p.message} (${p.path})`);
  return EXIT.ok;
}

async function simulateCommand(ctx: CommandContext): Promise<number> {
  const connectorId = flagString(ctx, 'connector');
  const groups = flagList(ctx, 'group');
  const semanticsFlag = flagString(ctx, 'semantics');
  if (connectorId === undefined || connectorId === '')
    throw new CommandError('--connector ID is required', EXIT.usage);
  if (semanticsFlag !== undefined && semanticsFlag !== 'modern' && semanticsFlag !== 'legacy') {
    throw new CommandError(
      `invalid value "${semanticsFlag}" for --semantics (choose modern or legacy)`,
      EXIT.usage,
    );
  }

  const { ws } = await loadWorkspace(ctx);
  const doc = ws.mappingDoc;
  if (doc.fatal.length) {
    throw new CommandError(
      `cannot simulate: ${doc.fatal.map((p) => p.message).join('; ')}`,
      EXIT.failure,
      'run `validate` for details',
    );
  }
  const semantics: Semantics = (semanticsFlag as Semantics | undefined) ?? ws.semantics;
  const result = simulate(doc.entries(), {
    connectorId,
    groups,
    semantics,
    knownRoles: ws.knownRoles,
    defaultRole: ws.defaultRole,
  });
  const value = { ...result, semantics };
  emit(ctx, value, () => {
    const lines = [
      `connector: ${clean(connectorId)}`,
      `groups:    ${clean(groups.join(', ')) || '(none)'}`,
      `semantics: ${semantics}`,
      `roles:     ${clean(result.roles.join(', ')) || '(none)'}`,
      '',
      result.matched.length
        ? table(
            ctx,
            ['group', 'roles'],
            result.matched.map((m) => [m.group, m.roles]),
          ).trimEnd()
        : 'no group matched',
      ...(result.skipped.length
        ? [
            '',
            table(
              ctx,
              ['skipped role', 'reason'],
              result.skipped.map((s) => [s.role, s.reason]),
            ).trimEnd(),
          ]
        : []),
      '',
      clean(result.explanation),
    ];
    return `${lines.join('\n')}\n`;
  });
  return EXIT.ok;
}
