// `roles list`: the built-in admin plus the role ConfigMaps, with whether the running server has
// loaded each one (roles created after the server started are not usable yet).
import { EXIT } from './exitCodes.js';
import type { CommandContext } from './context.js';
import { loadWorkspace } from './load.js';
import { emit, table } from './print.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { ws } = await loadWorkspace(ctx);
  const rows = ws.roles.map((r) => ({
    id: r.id,
    name: r.name,
    default: r.default,
    source: r.source,
    loaded: r.loaded,
    ...(r.configMapName ? { configMapName: r.configMapName } : {}),
    problems: r.problems.length,
  }));
  emit(ctx, rows, () =>
    table(
      ctx,
      ['id', 'name', 'default', 'source', 'loaded', 'configmap'],
      rows.map((r) => [r.id, r.name, r.default, r.source, r.loaded, r.configMapName ?? '']),
    ),
  );
  return EXIT.ok;
}
