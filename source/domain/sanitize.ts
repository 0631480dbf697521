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
