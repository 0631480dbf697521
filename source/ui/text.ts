// Display text helpers for the TUI: what a terminal cell grid needs that String methods do not
// give. Widths are in terminal columns (string-width: CJK and most emoji take two), and text is
// cut between grapheme clusters, so a wide character or an emoji sequence is never split in half
// (a half character is drawn as U+FFFD or shifts the rest of the row).
import stringWidth from '../output/stringWidth.js';
import { sanitizeForTerminal, showInvisible } from '../domain/sanitize.js';

/** Shown where a line break was in a value drawn on one line. */
export const LINE_BREAK_MARKER = '⏎';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

export const displayWidth = (s: string): number => stringWidth(s);

/**
 * Untrusted text for a one-line place (list cell, header, footer, status, a dialog field): the
 * terminal sanitizer, and every line break (\n, \r\n, a lone \r, and NEL, LS and PS, which
 * Epinio's and Dex's YAML reader take for line breaks) shown as ⏎ instead of breaking the row or
 * moving the cursor back to column 0 (or, for NEL, vanishing in the sanitizer); characters that draw nothing (a zero-width
 * space, a bidi override) are written out as `\u200b`, so `ad\u200bmin` does not pass for `admin`.
 */
export function singleLine(s: string): string {
  return sanitizeForTerminal(showInvisible(s.replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, LINE_BREAK_MARKER)));
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Cuts to at most `width` columns, ending with … when something was cut. Never splits a grapheme.
 * Walks only as far as the cut: a 10,000-character value costs what `width` columns cost.
 */
export function truncateWidth(s: string, width: number): string {
  if (width <= 0) return '';
  const head = s.slice(0, width + 1);
  if (PRINTABLE_ASCII.test(head)) return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
  let used = 0;
  let fitEnd = 0; // the end of the clusters that fit in width - 1 (room for the …)
  for (const { segment, index } of segmenter.segment(s)) {
    used += stringWidth(segment);
    if (used > width) return `${s.slice(0, fitEnd)}…`;
    if (used <= width - 1) fitEnd = index + segment.length;
  }
  return s;
}

/** The first grapheme cluster of `s` (without segmenting the rest). */
export function firstGrapheme(s: string): string {
  for (const { segment } of segmenter.segment(s)) return segment;
  return '';
}

/** Longer than any terminal line: what a one-line message can show of a value. */
export const MAX_LINE_COLUMNS = 500;

/**
 * Untrusted text for a one-line message that Ink truncates (`wrap="truncate-end"`): cut first to
 * `width` columns, so Ink measures and cuts what can be drawn, not a 10,000-character value.
 */
export function clipLine(s: string, width = MAX_LINE_COLUMNS): string {
  return truncateWidth(singleLine(s), width);
}

/** Exactly `width` columns: truncated with …, or padded with spaces. */
export function fitWidth(s: string, width: number): string {
  const cut = truncateWidth(s, width);
  // padEnd on the cell text (not string concatenation): the terminal reliability test injects its
  // render crash through String.prototype.padEnd on a connector cell.
  return cut.padEnd(cut.length + Math.max(0, width - stringWidth(cut)));
}
