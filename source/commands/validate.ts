// `validate`: every check the TUI runs before saving, over config.yaml, rolesMapping, the user
// Secrets and the role ConfigMaps. Exit 1 when there is any error (warnings alone exit 0).
import { DexConfigDocument, DexConfigParseError } from '../domain/dexConfig.js';
import { validateDexConfig } from '../domain/dexValidation/index.js';
import { validateRolesMapping } from '../domain/mappingValidation.js';
import type { Problem } from '../domain/problems.js';
import { detectSemantics } from '../domain/rolesMapping.js';
import { EXIT } from '../store/errors.js';
import type { CommandContext } from './context.js';
import { loadRoles, loadUsers, parseRolesMapping } from './load.js';
import { emit, table } from './print.js';

interface Finding {
  code: string;
  message: string;
  path: string;
  /** Which object: `config.yaml`, `rolesMapping`, `user:<Secret>`, `role:<ConfigMap or id>`. */
  source: string;
  fix?: string;
}

export async function run(ctx: CommandContext): Promise<number> {
  const store = await ctx.openStore();
  const snapshot = await store.loadSnapshot();
  const found: (Problem & { source: string })[] = [];
  const add = (source: string, problems: Problem[]) => found.push(...problems.map((p) => ({ ...p, source })));

  const configText = snapshot.dexConfig.data['config.yaml'];
  let doc: DexConfigDocument | undefined;
  if (configText === undefined) {
    add('config.yaml', [
      {
        severity: 'error',
        code: 'dex.missing',
        message: `Secret "${snapshot.dexConfig.name}" has no key config.yaml, so Dex cannot start`,
        path: '',
      },
    ]);
  } else {
    try {
      doc = DexConfigDocument.parse(configText);
      add('config.yaml', validateDexConfig(doc, { dexVersion: snapshot.dexVersion }));
    } catch (err) {
      if (!(err instanceof DexConfigParseError)) throw err;
      // The parser's message already names the line and the consequence.
      add('config.yaml', [{ severity: 'error', code: err.code, message: err.message, path: 'config.yaml' }]);
    }
  }

  const { roles, knownRoleIds } = loadRoles(snapshot);
  for (const r of roles) add(`role:${r.configMapName ?? r.id}`, r.problems);

  const mapping = parseRolesMapping(snapshot.dexConfig);
  add('rolesMapping', mapping.fatal);
  if (!mapping.fatal.length) {
    add(
      'rolesMapping',
      validateRolesMapping(mapping, {
        // Without a parsable config.yaml the connector ids are unknown; skip that check rather than flag every entry.
        connectorIds: doc ? doc.connectors().map((c) => c.id) : mapping.entries().map((e) => e.connectorId),
        enablePasswordDB: doc ? doc.enablePasswordDB : true,
        knownRoles: knownRoleIds,
        semantics: detectSemantics(snapshot.epinioVersion, mapping.format),
        versionKnown: snapshot.epinioVersion !== undefined,
      }),
    );
  }

  for (const u of loadUsers(snapshot.users, knownRoleIds)) add(`user:${u.secretName}`, u.problems);

  const view = (p: Problem & { source: string }): Finding => ({
    code: p.code,
    message: p.message,
    path: p.path,
    source: p.source,
    ...(p.fix ? { fix: p.fix } : {}),
  });
  const errors = found.filter((p) => p.severity === 'error').map(view);
  const warnings = found.filter((p) => p.severity === 'warning').map(view);
  emit(ctx, { errors, warnings }, () => {
    // The path already names the object (`users.<Secret>...`, `rolesMapping[0]...`); `source` is for scripts.
    const rows = [
      ...errors.map((e) => ['error', e.path, e.message]),
      ...warnings.map((w) => ['warning', w.path, w.message]),
    ];
    const summary = `${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}\n`;
    return rows.length
      ? `${table(ctx, ['severity', 'path', 'message'], rows)}\n${summary}`
      : `no problems found\n`;
  });
  return errors.length ? EXIT.failure : EXIT.ok;
}
