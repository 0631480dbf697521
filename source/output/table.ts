// Aligned plain-text tables in the kubectl style: upper-case headers, columns separated by three
// spaces, widths measured in terminal cells (string-width) so CJK and emoji stay aligned. Every
// cell is sanitized: usernames, group ids and connector names come from the cluster and must not
// be able to move the cursor or recolour the terminal.
import stringWidth from './stringWidth.js';
import { sanitizeForTerminal, showInvisible } from '../domain/sanitize.js';

export type Cell = string | number | boolean | null | undefined | readonly string[];

export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // Lists (roles, namespaces, groups) are joined first, so their items pass the same sanitizer as
  // plain cells. A line break inside a cell (\n, \r\n or a lone \r) would break the row or move the
  // cursor back to column 0, so each is shown as one visible separator; invisible characters are
  // written out (`\u200b`) so a lookalike name is told apart.
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return sanitizeForTerminal(showInvisible(text.replace(/\r\n|\r|\n/g, '\u21b5')));
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
