// Pure single-line text editing, so dialogs own their fields: a dialog gets the key from the bus
// and passes it to the focused field through this function (no second useInput, no key leaks).
export interface TextState {
  value: string;
  cursor: number;
}

export const textState = (value = ''): TextState => ({ value, cursor: value.length });

/** Returns the new state, or null when the key is not a text-editing key. */
export function editText(s: TextState, name: string, input: string): TextState | null {
  switch (name) {
    case 'left':
      return { ...s, cursor: Math.max(0, s.cursor - 1) };
    case 'right':
      return { ...s, cursor: Math.min(s.value.length, s.cursor + 1) };
    case 'home':
    case 'ctrl+a':
      return { ...s, cursor: 0 };
    case 'end':
    case 'ctrl+e':
      return { ...s, cursor: s.value.length };
    case 'backspace':
    case 'delete': // many terminals send DEL (0x7f) for Backspace, which Ink reports as delete
      if (s.cursor === 0) return s;
      return { value: s.value.slice(0, s.cursor - 1) + s.value.slice(s.cursor), cursor: s.cursor - 1 };
    case 'ctrl+u':
      return { value: s.value.slice(s.cursor), cursor: 0 };
    case 'space':
      return insert(s, ' ');
    default:
      if (name.startsWith('ctrl+') || name.includes('tab') || name === 'enter' || name === 'escape') return null;
      if (['up', 'down', 'shift+up', 'shift+down', 'pageup', 'pagedown'].includes(name)) return null;
      if (!input) return null;
      // Pasted text (name 'paste', a bracketed paste) arrives as one input; keep it on one line.
      return insert(s, input.replace(/\r\n|[\r\n\t]/g, ' '));
  }
}

function insert(s: TextState, text: string): TextState {
  return { value: s.value.slice(0, s.cursor) + text + s.value.slice(s.cursor), cursor: s.cursor + text.length };
}
