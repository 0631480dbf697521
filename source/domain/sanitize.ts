// Text from the cluster (names, annotations, YAML) is shown in a terminal. A hostile value could
// move the cursor, retitle the window, write hyperlinks or reorder text with bidi overrides, so every
// string that did not come from this program passes through here before it is drawn.

// String commands (OSC, DCS, SOS, PM, APC), 7-bit or C1 introducer, up to ST/BEL or the end of the text.
const STRING_COMMAND = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)/g;
// CSI: ESC [ or C1 0x9b, parameter bytes, intermediate bytes, one final byte (or the end).
const CSI = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*(?:[\x40-\x7e]|$)/g;
// Other escape sequences: ESC, intermediates, a final byte; a lone ESC goes with the control pass.
const ESCAPE = /\x1b[\x20-\x2f]*[\x30-\x7e]/g;
// C0 except newline, DEL, C1, and the bidi embedding/override/isolate characters.
const CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function sanitizeForTerminal(s: string): string {
  return s
    .replace(/\t/g, ' ')
    .replace(STRING_COMMAND, '')
    .replace(CSI, '')
    .replace(ESCAPE, '')
    .replace(CONTROLS, '');
}

// Characters that draw nothing: zero-width spaces and non-joiners, bidi marks and controls, word
// joiners, the soft hyphen, the BOM, Hangul fillers. In a name they make `ad\u200bmin` look
// exactly like `admin`. A zero-width joiner between two pictographs is part of an emoji sequence
// (👩‍👩‍👧) and is left alone.
const INVISIBLE =
  /[\u00ad\u061c\u115f\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]|\u034f|\u1160|\u17b4|\u17b5|\u180b|\u180c|\u180d|\u180e|\u180f|(?<!\p{Extended_Pictographic}|[\u{1f3fb}-\u{1f3ff}]|\ufe0f)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

const escaped = (ch: string): string => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`;

/** The invisible characters of `s`, as U+XXXX, once each. */
export function invisibleCharacters(s: string): string[] {
  const found = s.match(INVISIBLE) ?? [];
  return [...new Set(found)].map(
    (ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** `s` with every invisible character written out as `\uXXXX`, so it can be seen. */
export function showInvisible(s: string): string {
  return s.replace(INVISIBLE, escaped);
}
