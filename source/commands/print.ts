// Writing results: the value goes to stdout in the chosen format; notes and warnings go to stderr
// so `-o json` output stays parseable. Messages are sanitized because they quote cluster data.
import { sanitizeForTerminal } from '../domain/sanitize.js';
import { colorEnabled, style } from '../output/color.js';
import { render } from '../output/format.js';
import { formatTable, type Cell } from '../output/table.js';
import type { CommandContext } from './context.js';

export function emit(ctx: CommandContext, value: unknown, table: () => string): void {
  ctx.io.stdout.write(render(ctx.options.output, value, table));
}

export function table(
  ctx: CommandContext,
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const s = style(colorEnabled(ctx.io.stdout, ctx.io.env));
  return formatTable(headers, rows, { header: s.bold });
}

export function warn(ctx: CommandContext, message: string): void {
  const s = style(colorEnabled(ctx.io.stderr, ctx.io.env));
  ctx.io.stderr.write(`${s.yellow('warning:')} ${sanitizeForTerminal(message)}\n`);
}

export function note(ctx: CommandContext, message: string): void {
  ctx.io.stderr.write(`${sanitizeForTerminal(message)}\n`);
}
