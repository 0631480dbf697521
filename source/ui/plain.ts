// Plain mode (--plain, or Ink's screen-reader mode: INK_SCREEN_READER=true): the same screens and
// dialogs, drawn as linear text for screen readers and braille displays. The shared components
// (Dialog, List, Footer, Header) read this context, so no screen has a plain copy of its own:
// no borders or box drawing, no decorative glyphs (words instead), one line per list row with its
// column names, and every status change announced once as a line of its own (Footer).
import { createContext, useContext } from 'react';
import { useIsScreenReaderEnabled } from 'ink';

export const PlainContext = createContext(false);

/** True under --plain and under Ink's screen-reader mode. */
export function usePlain(): boolean {
  const sr = useIsScreenReaderEnabled();
  return useContext(PlainContext) || sr;
}

const WORDS: [RegExp, string][] = [
  [/⏎/g, 'enter'],
  [/⇧/g, 'shift+'],
  [/↑/g, 'up'],
  [/↓/g, 'down'],
  [/←/g, 'left'],
  [/→/g, 'right'],
  [/⌫/g, 'backspace'],
  [/✓ ?/g, 'ok: '],
  [/✗ ?/g, 'error: '],
  [/● ?/g, ''],
  [/ · /g, ', '],
  [/…/g, '...'],
  // Box drawing (tree branches in a cell, rules): nothing a screen reader should spell out.
  [/[\u2500-\u257f]\s?/g, ''],
];

/** Text with the glyphs a screen reader would spell out (or skip) replaced by words. */
export function plainText(text: string): string {
  let out = text;
  for (const [re, word] of WORDS) out = out.replace(re, word);
  return out;
}
