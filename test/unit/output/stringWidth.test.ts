// Our stringWidth (the bundle's stand-in for string-width, so Ink lays out with it) must measure
// exactly as string-width does: every code point alone, every emoji sequence kind, and mixed text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import reference from 'string-width';
import stringWidth from '../../../source/output/stringWidth.js';

/** Every code point of the planes in use (0-3, and 14 for tags and variation selectors); the
 *  unassigned planes 4-13 and the private-use planes add time, not cases. */
function* allCodePoints(last = 0x3ffff): Generator<string> {
  for (let cp = 0; cp <= last; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    yield String.fromCodePoint(cp);
  }
  if (last > 0xffff) for (let cp = 0xe0000; cp <= 0xe0fff; cp++) yield String.fromCodePoint(cp);
}

function mismatches(inputs: Iterable<string>, options?: { ambiguousIsNarrow: boolean }): string[] {
  const out: string[] = [];
  for (const s of inputs) {
    const ours = stringWidth(s, options);
    const theirs = reference(s, options);
    if (ours !== theirs)
      out.push(`${[...s].map((c) => c.codePointAt(0)!.toString(16)).join(' ')}: ${ours} != ${theirs}`);
    if (out.length >= 10) break;
  }
  return out;
}

const EMOJI = /\p{Emoji}/u;
const MODIFIER_BASE = /\p{Emoji_Modifier_Base}/u;

describe('stringWidth equals string-width', () => {
  it('for every code point alone, ambiguous narrow (and wide in the BMP)', () => {
    assert.deepEqual(mismatches(allCodePoints()), []);
    assert.deepEqual(mismatches(allCodePoints(0xffff), { ambiguousIsNarrow: false }), []);
  });

  it('for each code point between letters (clusters across the simple ranges)', () => {
    assert.deepEqual(mismatches([...allCodePoints(0xffff)].map((c) => `a${c}b─`)), []);
  });

  it('for emoji sequences: presentation selector, keycaps, flags, skin tones, ZWJ and tag sequences', () => {
    const emoji = [...allCodePoints()].filter((c) => EMOJI.test(c));
    const inputs = [
      ...emoji.map((c) => `${c}\uFE0F`),
      ...emoji.map((c) => `${c}\uFE0E`),
      ...'#*0123456789'.split('').flatMap((c) => [`${c}\u20E3`, `${c}\uFE0F\u20E3`]),
      ...Array.from({ length: 26 * 26 }, (_, i) =>
        String.fromCodePoint(0x1f1e6 + Math.floor(i / 26), 0x1f1e6 + (i % 26)),
      ),
      ...emoji
        .filter((c) => MODIFIER_BASE.test(c))
        .flatMap((c) => [0x1f3fb, 0x1f3ff].map((m) => `${c}${String.fromCodePoint(m)}`)),
      '👨‍👩‍👧‍👦',
      '🏳️‍🌈',
      '🏴‍☠️',
      '👁️‍🗨️',
      '🧑🏽‍💻',
      '❤️‍🔥',
      '⛹️‍♀️',
      '👨‍❤️‍💋‍👨',
      '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
      '🫱🏻‍🫲🏿',
      '🐕‍🦺',
      '😶‍🌫️',
      '🧔‍♂️',
      '\u263A\u200D\u263A',
    ];
    assert.deepEqual(mismatches(inputs), []);
  });

  it('for random mixed text (ASCII, Latin, CJK, Hangul jamo, marks, emoji, escapes)', () => {
    const pieces = fc.constantFrom(
      'a',
      'Z',
      ' ',
      '─',
      '│',
      '…',
      '▸',
      'é',
      'e\u0301',
      '日本',
      'ｶﾞ',
      '\u1100\u1161\u11A8',
      '\u1100',
      '😀',
      '👍🏽',
      '🇩🇪',
      '\u200D',
      '\uFE0F',
      '\t',
      '\u001B[31m',
      '\u001B[0m',
      '\u00AD',
      'ق',
      '\u0E33',
      '한',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(pieces, fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 12 }),
        (parts) => {
          const s = parts.join('');
          assert.equal(stringWidth(s), reference(s), JSON.stringify(s));
          assert.equal(
            stringWidth(s, { countAnsiEscapeCodes: true }),
            reference(s, { countAnsiEscapeCodes: true }),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
