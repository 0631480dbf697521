// Terminal width of a string: the algorithm of string-width 8.3 (MIT, Sindre Sorhus), which Ink
// uses for layout, with the same results but a cheap start. string-width builds /^\p{RGI_Emoji}$/v
// when imported and compiles it on first use: about 100 ms on these machines, paid by every start
// before the first frame, and Intl.Segmenter costs another ~25 ms on first use. Here the emoji
// pattern is built only for a cluster that can be an emoji, and text made only of code points that
// are each a cluster of their own (Latin, punctuation, arrows, box drawing) skips the segmenter.
// scripts/build.mjs substitutes this module for string-width in the bundle, so Ink's layout and
// our tables and lists measure alike; test/unit/output/stringWidth.test.ts checks it equals
// string-width code point by code point and on mixed text.
import { eastAsianWidth } from 'get-east-asian-width';
import stripAnsi from 'strip-ansi';

export interface StringWidthOptions {
  ambiguousIsNarrow?: boolean;
  countAnsiEscapeCodes?: boolean;
}

const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;
// Each of these code points is a grapheme cluster by itself and is never an emoji alone or takes its
// width from a neighbour (no marks, joiners, variation selectors, format or control characters).
const SINGLE_CLUSTERS =
  /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u23FF\u2500-\u25FF]*$/;

let segmenter: Intl.Segmenter | undefined;
// (The v flag through RegExp(): the TypeScript target predates it; Node 20 supports it.)
const visibleCharacterRegex = new RegExp(
  '[^\\p{Default_Ignorable_Code_Point}\\p{Control}\\p{Format}\\p{Nonspacing_Mark}\\p{Enclosing_Mark}\\p{Surrogate}]',
  'v',
);
const spacingMarkRegex = new RegExp('\\p{Spacing_Mark}', 'v');
// Every RGI emoji sequence holds a code point with Emoji_Presentation (pictographs, regional
// indicators, skin-tone modifiers, the black flag of tag sequences) or the emoji variation selector.
const mayBeEmoji = /[\p{Emoji_Presentation}\uFE0F]/u;
let rgiEmojiRegex: RegExp | undefined;
const unqualifiedKeycapRegex = /^[\d#*]\u20E3$/;
const extendedPictographicRegex = /\p{Extended_Pictographic}/gu;

function isRgiEmoji(segment: string): boolean {
  if (!mayBeEmoji.test(segment)) return false;
  rgiEmojiRegex ??= new RegExp('^\\p{RGI_Emoji}$', 'v');
  return rgiEmojiRegex.test(segment);
}

function isDoubleWidthNonRgiEmojiSequence(segment: string): boolean {
  if (segment.length > 50) return false;
  if (unqualifiedKeycapRegex.test(segment)) return true;
  if (segment.includes('\u200D')) {
    const pictographics = segment.match(extendedPictographicRegex);
    return pictographics !== null && pictographics.length >= 2;
  }
  return false;
}

function baseVisible(segment: string): string | undefined {
  const index = segment.search(visibleCharacterRegex);
  return index === -1 ? undefined : segment.slice(index);
}

const isHangulLeadingJamo = (cp: number | undefined): boolean =>
  cp !== undefined && ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0xa960 && cp <= 0xa97c));
const isHangulVowelJamo = (cp: number | undefined): boolean =>
  cp !== undefined && ((cp >= 0x1160 && cp <= 0x11a7) || (cp >= 0xd7b0 && cp <= 0xd7c6));
const isHangulTrailingJamo = (cp: number | undefined): boolean =>
  cp !== undefined && ((cp >= 0x11a8 && cp <= 0x11ff) || (cp >= 0xd7cb && cp <= 0xd7fb));

type EawOptions = { ambiguousAsWide: boolean };

function hangulClusterWidth(visibleSegment: string, options: EawOptions): number | undefined {
  const codePoints: number[] = [];
  for (const character of visibleSegment) {
    if (visibleCharacterRegex.test(character)) codePoints.push(character.codePointAt(0)!);
  }
  if (codePoints.length === 0) return undefined;
  let width = 0;
  for (let index = 0; index < codePoints.length; index++) {
    const cp = codePoints[index]!;
    if (!isHangulLeadingJamo(cp) && !isHangulVowelJamo(cp) && !isHangulTrailingJamo(cp)) {
      if (width === 0) return undefined;
      for (let rest = index; rest < codePoints.length; rest++)
        width += eastAsianWidth(codePoints[rest]!, options);
      return width;
    }
    if (isHangulLeadingJamo(cp) && isHangulVowelJamo(codePoints[index + 1])) {
      width += 2;
      index += isHangulTrailingJamo(codePoints[index + 2]) ? 2 : 1;
      continue;
    }
    width += eastAsianWidth(cp, options);
  }
  return width;
}

function trailingWidth(visibleSegment: string, options: EawOptions): number {
  let extra = 0;
  let first = true;
  for (const character of visibleSegment) {
    if (first) {
      first = false;
      continue;
    }
    if (spacingMarkRegex.test(character) || (character >= '\uFF00' && character <= '\uFFEF')) {
      extra += eastAsianWidth(character.codePointAt(0)!, options);
    }
  }
  return extra;
}

export default function stringWidth(input: unknown, options: StringWidthOptions = {}): number {
  if (typeof input !== 'string' || input.length === 0) return 0;
  const { ambiguousIsNarrow = true, countAnsiEscapeCodes = false } = options;
  let text = input;
  if (!countAnsiEscapeCodes && (text.includes('\u001B') || text.includes('\u009B'))) text = stripAnsi(text);
  if (text.length === 0) return 0;
  if (PRINTABLE_ASCII.test(text)) return text.length;
  const eaw: EawOptions = { ambiguousAsWide: !ambiguousIsNarrow };
  let width = 0;
  if (SINGLE_CLUSTERS.test(text)) {
    for (const character of text) width += eastAsianWidth(character.codePointAt(0)!, eaw);
    return width;
  }
  segmenter ??= new Intl.Segmenter();
  for (const { segment } of segmenter.segment(text)) {
    const visibleSegment = baseVisible(segment);
    if (visibleSegment === undefined) continue;
    if (isRgiEmoji(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {
      width += 2;
      continue;
    }
    const hangulWidth = hangulClusterWidth(visibleSegment, eaw);
    if (hangulWidth !== undefined) {
      width += hangulWidth;
      continue;
    }
    width += eastAsianWidth(visibleSegment.codePointAt(0)!, eaw);
    width += trailingWidth(visibleSegment, eaw);
  }
  return width;
}
