// `connectors list` and `connectors show ID`. Config values stay out of `list` entirely; `show`
// masks secret fields unless --show-secrets is given explicitly.
import { maskConnectorConfig } from '../domain/masking.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import { problemsForConnector } from '../domain/workspace.js';
import { EXIT } from './exitCodes.js';
import { toYaml } from '../output/format.js';
import { flagBool, type CommandContext } from './context.js';
import { loadWorkspace, requireConfig, requireConnector } from './load.js';
import { emit, table } from './print.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { ws } = await loadWorkspace(ctx);
  const doc = requireConfig(ws);

  if (ctx.spec.path[1] === 'list') {
    const problems = ws.dexProblems;
    const rows = doc.connectors().map((c) => ({
      id: c.id,
      type: c.type,
      name: c.name,
      // Paths are `connectors[2]` or `connectors[2].config...`; the bracket stops `[1]` matching `[12]`.
      problems: problemsForConnector(problems, c.index).length,
    }));
    emit(ctx, rows, () =>
      rows.length
        ? table(
            ctx,
            ['id', 'type', 'name', 'problems'],
            rows.map((r) => [r.id, r.type, r.name, r.problems]),
          )
        : 'no connectors (only the password DB, connector id "local", if enablePasswordDB is true)\n',
    );
    return EXIT.ok;
  }

  const id = ctx.args[0];
  const connector = requireConnector(doc, id);
  const value = {
    type: connector.type,
    id: connector.id,
    name: connector.name,
    config: flagBool(ctx, 'show-secrets')
      ? connector.config
      : maskConnectorConfig(connector.type, connector.config),
  };
  // The table form is YAML too (a connector is a tree), but sanitized for the terminal.
  emit(ctx, value, () => sanitizeForTerminal(toYaml(value)));
  return EXIT.ok;
}
