// Aligned plain-text tables in the kubectl style: upper-case headers, columns separated by three
// spaces, widths measured in terminal cells (string-width) so CJK and emoji stay aligned. Every
// cell is sanitized: usernames, group ids and connector names come from the cluster and must not
// be able to move the cursor or recolour the terminal.
import stringWidth from 'string-width';
import { sanitizeForTerminal } from '../domain/sanitize.js';

export type Cell = string | number | boolean | null | undefined | readonly string[];

export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // A newline inside a cell would break the row, so it is shown as a visible separator.
  return sanitizeForTerminal(String(value)).replace(/\n/g, '\u21b5');
}

export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: { header?: (s: string) => string } = {},
): string {
  const texts = rows.map((row) => headers.map((_, i) => cellText(row[i])));
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...texts.map((r) => stringWidth(r[i]))));
  const pad = (s: string, i: number) =>
    i === headers.length - 1 ? s : s + ' '.repeat(widths[i] - stringWidth(s));
  const line = (cells: string[]) => cells.map(pad).join('   ').trimEnd();
  const head = line(headers.map((h) => h.toUpperCase()));
  const out = [options.header ? options.header(head) : head, ...texts.map(line)];
  return `${out.join('\n')}\n`;
}
