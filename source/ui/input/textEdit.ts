// Pure single-line text editing, so dialogs own their fields: a dialog gets the key from the bus
// and passes it to the focused field through this function (no second useInput, no key leaks).
import type { Action } from '../keys.js';

/** The named keys editText handles (typed characters and a paste besides). */
export const TEXT_EDIT_KEYS = [
  'left',
  'right',
  'home',
  'end',
  'backspace',
  'delete',
  'space',
  'ctrl+a',
  'ctrl+e',
  'ctrl+u',
] as const;

export interface TextState {
  value: string;
  cursor: number;
}

export const textState = (value = ''): TextState => ({ value, cursor: value.length });

/** Returns the new state, or null when the key is not a text-editing key. */
export function editText(s: TextState, name: string, input: string): TextState | null {
  switch (name) {
    case 'left':
      return { ...s, cursor: prevBoundary(s.value, s.cursor) };
    case 'right':
      return { ...s, cursor: nextBoundary(s.value, s.cursor) };
    case 'home':
    case 'ctrl+a':
      return { ...s, cursor: 0 };
    case 'end':
    case 'ctrl+e':
      return { ...s, cursor: s.value.length };
    case 'backspace':
    case 'delete': // many terminals send DEL (0x7f) for Backspace, which Ink reports as delete
      if (s.cursor === 0) return s;
      {
        const from = prevBoundary(s.value, s.cursor);
        return { value: s.value.slice(0, from) + s.value.slice(s.cursor), cursor: from };
      }
    case 'ctrl+u':
      return { value: s.value.slice(s.cursor), cursor: 0 };
    case 'space':
      return insert(s, ' ');
    default:
      if (name.startsWith('ctrl+') || name.includes('tab') || name === 'enter' || name === 'escape')
        return null;
      if (['up', 'down', 'shift+up', 'shift+down', 'pageup', 'pagedown'].includes(name)) return null;
      if (!input) return null;
      // Pasted text (name 'paste', a bracketed paste) arrives as one input; keep it on one line.
      return insert(s, input.replace(/\r\n|[\r\n\t]/g, ' '));
  }
}

// The cursor moves over whole characters (graphemes): an emoji or an accented letter made of
// several code units is never split, so the field never holds or draws half a character.
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function boundaries(value: string): number[] {
  return [...Array.from(segmenter.segment(value), (x) => x.index), value.length];
}

function prevBoundary(value: string, cursor: number): number {
  return (
    boundaries(value)
      .filter((b) => b < cursor)
      .pop() ?? 0
  );
}

function nextBoundary(value: string, cursor: number): number {
  return boundaries(value).find((b) => b > cursor) ?? value.length;
}

function insert(s: TextState, text: string): TextState {
  return {
    value: s.value.slice(0, s.cursor) + text + s.value.slice(s.cursor),
    cursor: s.cursor + text.length,
  };
}

/** The registry entry of a focused text field: typing and the editing keys edit `state`. */
export function textAction(
  label: string,
  state: TextState,
  set: (next: TextState) => void,
  options: { enabled?: boolean } = {},
): Action {
  return {
    id: 'text',
    keys: [...TEXT_EDIT_KEYS],
    text: true,
    label,
    helpOnly: true,
    enabled: options.enabled,
    run: (name, input) => {
      const next = editText(state, name, input);
      if (next) set(next);
    },
  };
}
