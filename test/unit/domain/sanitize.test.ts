import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sanitizeForTerminal } from '../../../source/domain/sanitize.js';

describe('sanitizeForTerminal', () => {
  const cases: [string, string, string][] = [
    ['SGR colour', 'a\x1b[31mred\x1b[0m', 'ared'],
    ['cursor movement and clear screen', 'x\x1b[2J\x1b[H\x1b[10;20Hy', 'xy'],
    ['OSC 8 hyperlink (BEL)', '\x1b]8;;https://evil.example\x07click\x1b]8;;\x07', 'click'],
    ['OSC title (ST)', '\x1b]0;pwned\x1b\\ok', 'ok'],
    ['OSC 52 clipboard write', 'a\x1b]52;c;cm0gLXJmIC8=\x07b', 'ab'],
    ['DCS sixel', 'x\x1bPq#0;2;0;0;0\x1b\\y', 'xy'],
    ['APC and PM', 'a\x1b_hidden\x1b\\b\x1b^pm\x1b\\c', 'abc'],
    ['unterminated OSC eats the rest', 'safe\x1b]0;title never ends', 'safe'],
    ['C1 CSI', 'a\x9b31mb', 'ab'],
    ['C1 OSC', 'a\x9d0;t\x9cb', 'ab'],
    ['charset designation', '\x1b(Btext', 'text'],
    ['keypad mode / reset', '\x1b=\x1bcok', 'ok'],
    ['lone ESC at the end', 'end\x1b', 'end'],
    ['carriage return overwrite', 'visible\rhidden', 'visiblehidden'],
    ['backspace, bell, NUL, DEL', 'a\x08b\x07c\x00d\x7fe', 'abcde'],
    ['tab becomes a space, newline kept', 'a\tb\nc', 'a b\nc'],
    ['bidi overrides and isolates', 'user\u202Egnp.exe\u202C \u2066x\u2069', 'usergnp.exe x'],
    ['plain unicode is kept', 'héllo — 日本 ✓', 'héllo — 日本 ✓'],
  ];
  for (const [name, input, expected] of cases)
    it(name, () => assert.equal(sanitizeForTerminal(input), expected));

  it('property: output never holds ESC, C0 (except newline), C1 or bidi controls', () => {
    const hostile = fc
      .array(
        fc.oneof(
          fc.string(),
          fc.constantFrom(
            '\x1b',
            '\x1b[',
            '\x1b]',
            '\x9b',
            '\x07',
            '\x1b\\',
            '\u202e',
            '\t',
            '\r',
            '\n',
            '\x90',
            '\x9c',
          ),
        ),
        { maxLength: 30 },
      )
      .map((xs) => xs.join(''));
    fc.assert(
      fc.property(hostile, (s) => {
        const out = sanitizeForTerminal(s);
        assert.doesNotMatch(out, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
        assert.equal(sanitizeForTerminal(out), out);
      }),
      { numRuns: 500 },
    );
  });
});
