// `validate`: every check the TUI runs before saving, over config.yaml, rolesMapping, the user
// Secrets and the role ConfigMaps: the domain workspace's problems, the same list the TUI shows.
// Exit 1 when there is any error (warnings alone exit 0).
import type { SourcedProblem } from '../domain/workspace.js';
import { EXIT } from './exitCodes.js';
import type { CommandContext } from './context.js';
import { loadWorkspace } from './load.js';
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
  const { ws } = await loadWorkspace(ctx);
  const found = ws.problems;

  const view = (p: SourcedProblem): Finding => ({
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
