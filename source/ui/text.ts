// Display text helpers for the TUI: what a terminal cell grid needs that String methods do not
// give. Widths are in terminal columns (string-width: CJK and most emoji take two), and text is
// cut between grapheme clusters, so a wide character or an emoji sequence is never split in half
// (a half character is drawn as U+FFFD or shifts the rest of the row).
import stringWidth from '../output/stringWidth.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';

/** Shown where a line break was in a value drawn on one line. */
export const LINE_BREAK_MARKER = '⏎';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

export const displayWidth = (s: string): number => stringWidth(s);

/**
 * Untrusted text for a one-line place (list cell, header, footer, status, a dialog field): the
 * terminal sanitizer, and every line break (\n, \r\n, a lone \r) shown as ⏎ instead of breaking
 * the row or moving the cursor back to column 0.
 */
export function singleLine(s: string): string {
  return sanitizeForTerminal(s.replace(/\r\n|\r|\n/g, LINE_BREAK_MARKER));
}

/** Cuts to at most `width` columns, ending with … when something was cut. Never splits a grapheme. */
export function truncateWidth(s: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(s) <= width) return s;
  let out = '';
  let used = 0;
  for (const g of graphemes(s)) {
    const w = stringWidth(g);
    if (used + w > width - 1) break;
    out += g;
    used += w;
  }
  return `${out}…`;
}

/** Exactly `width` columns: truncated with …, or padded with spaces. */
export function fitWidth(s: string, width: number): string {
  const cut = truncateWidth(s, width);
  // padEnd on the cell text (not string concatenation): the terminal reliability test injects its
  // render crash through String.prototype.padEnd on a connector cell.
  return cut.padEnd(cut.length + Math.max(0, width - stringWidth(cut)));
}
