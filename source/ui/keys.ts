// The one key registry. Every screen and dialog declares its actions as data; the input handler,
// the footer hints and the `?` help all read the same list, so they cannot drift apart. Read-only
// mode drops dangerous actions from all three, and pressing one explains why instead of acting.
import type { Key } from 'ink';
import { sanitizeForTerminal } from '../domain/sanitize.js';

export interface Action {
  id: string;
  /** Normalised key names (see keyName): 'a', 'K', 'enter', 'up', 'ctrl+c', 'tab', 'shift+tab', 'space'. */
  keys: string[];
  label: string;
  /** Writes (or stages a write to) the cluster; removed in read-only mode. */
  dangerous?: boolean;
  /** Listed in help but not in the footer (keeps the footer one line). */
  helpOnly?: boolean;
  run: () => void;
}

/** Turns Ink's (input, key) pair into one stable name, so registries can be plain strings. */
export function keyName(input: string, key: Partial<Key>): string {
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.upArrow) return key.shift ? 'shift+up' : 'up';
  if (key.downArrow) return key.shift ? 'shift+down' : 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (input === ' ') return 'space';
  return input;
}

/** The actions an operator can use: dangerous ones disappear in read-only mode. */
export function availableActions(actions: readonly Action[], readOnly: boolean): Action[] {
  return actions.filter((a) => !(readOnly && a.dangerous));
}

export type KeyResolution =
  { kind: 'run'; action: Action } | { kind: 'refused'; action: Action; reason: string } | { kind: 'none' };

/** Finds the action for a key; a dangerous action in read-only mode is refused with the reason. */
export function resolveKey(
  actions: readonly Action[],
  name: string,
  readOnly: { on: boolean; reasons: readonly string[] },
): KeyResolution {
  const action = actions.find((a) => a.keys.includes(name));
  if (!action) return { kind: 'none' };
  if (readOnly.on && action.dangerous) {
    const why = readOnly.reasons.length ? readOnly.reasons.join('; ') : 'started with --read-only';
    return {
      kind: 'refused',
      action,
      reason: `"${action.label}" is not available in read-only mode (${why})`,
    };
  }
  return { kind: 'run', action };
}

const DISPLAY: Record<string, string> = { enter: '⏎', escape: 'esc', up: '↑', down: '↓', space: 'space' };

export function displayKeys(action: Pick<Action, 'keys'>): string {
  return action.keys.map((k) => DISPLAY[k] ?? k).join('/');
}

/** Footer line: "a add · d delete · ? help". */
export function footerHints(actions: readonly Action[], readOnly: boolean): string {
  return availableActions(actions, readOnly)
    .filter((a) => !a.helpOnly)
    .map((a) => `${displayKeys(a)} ${a.label}`)
    .join(' · ');
}

/** Help overlay rows: every available action, footer ones and help-only ones. */
export function helpRows(actions: readonly Action[], readOnly: boolean): { keys: string; label: string }[] {
  return availableActions(actions, readOnly).map((a) => ({ keys: displayKeys(a), label: a.label }));
}

// ---- Keys that arrive together -------------------------------------------------------------
// Ink reads stdin in chunks and splits a chunk only at escape sequences: "jjj" typed ahead (or
// sent by a multiplexer, a laggy ssh link, a paste without bracketed paste) reaches useInput as
// one input "jjj", and "Home j Enter" as "\x1b[H" then "j\r". The input bus sees the raw event
// too (interpretInput below) and turns each plain character into its own key press. A bracketed
// paste (the terminal wraps it in ESC[200~ … ESC[201~) stays one 'paste' key with all its text,
// so a text field inserts it whole and a newline in it does not press Enter.

export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

export interface KeyPress {
  name: string;
  input: string;
  key: Key;
}

const press = (input: string, key: Partial<Key> = {}): KeyPress => {
  const k = { ...NO_KEY, ...key };
  return { name: keyName(input, k), input, key: k };
};

/** One character of a plain (escape-free) chunk, as Ink reports that character typed alone. */
export function plainKey(ch: string): KeyPress {
  if (ch === '\r' || ch === '\n' || ch === '\r\n') return press('', { return: true });
  if (ch === '\t') return press('', { tab: true });
  if (ch === '\x7f') return press('', { delete: true });
  if (ch === '\b') return press('', { backspace: true });
  const code = ch.codePointAt(0)!;
  if (ch.length === 1 && code >= 1 && code <= 26)
    return press(String.fromCharCode(code + 96), { ctrl: true });
  if (ch.length === 1 && code < 0x20) return press('', {}); // other C0: not a key we use
  return press(ch, { shift: /^[A-Z]$/.test(ch) });
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const NAMED: readonly (keyof Key)[] = [
  'upArrow',
  'downArrow',
  'leftArrow',
  'rightArrow',
  'pageDown',
  'pageUp',
  'home',
  'end',
  'return',
  'escape',
  'tab',
  'backspace',
  'delete',
];

/**
 * Ink's (input, key) for one input event plus the raw event text, into the key presses it stands
 * for. `pasting` is the text of a bracketed paste in progress (null outside one); the caller keeps
 * the returned value for the next event.
 */
export function interpretInput(
  raw: string | undefined,
  input: string,
  key: Key,
  pasting: string | null,
): { keys: KeyPress[]; pasting: string | null } {
  if (raw === PASTE_START) return { keys: [], pasting: '' };
  if (pasting !== null) {
    if (raw === PASTE_END) {
      // Line breaks as \n, and no control or escape sequence from the clipboard ends up in a value.
      const text = sanitizeForTerminal(pasting.replace(/\r\n?/g, '\n'));
      return { keys: text ? [{ name: 'paste', input: text, key: { ...NO_KEY } }] : [], pasting: null };
    }
    return { keys: [], pasting: pasting + (raw ?? input) };
  }
  if (raw === PASTE_END) return { keys: [], pasting: null };
  const named = key.ctrl || NAMED.some((f) => key[f]);
  if (raw === undefined) {
    // No raw text (another input source): split only what is plainly several characters.
    if (named || key.meta) return { keys: [press(input, key)], pasting: null };
    raw = input;
  }
  if (!raw.startsWith('\x1b')) {
    const chars = Array.from(segmenter.segment(raw), (s) => s.segment);
    if (chars.length <= 1) return { keys: [press(input, key)], pasting: null };
    return { keys: chars.map(plainKey), pasting: null };
  }
  if (named) return { keys: [press(input, key)], pasting: null };
  // ESC directly followed by a character in the same read: Escape typed ahead of that key (the
  // app binds no Alt+key), e.g. "esc q" closing a dialog and then quitting.
  if (key.meta && input && !input.startsWith('[') && !input.startsWith('O')) {
    const rest = interpretInput(input, input, { ...NO_KEY, shift: /^[A-Z]$/.test(input) }, null).keys;
    return { keys: [press('', { escape: true, meta: true }), ...rest], pasting: null };
  }
  // Any other escape sequence (function keys, focus reports): not a key here, and never text.
  return { keys: [], pasting: null };
}

/** K/J (and shift+arrows) move the selected item in an ordered list: Dex order, mapping order. */
export function moveActions(move: (delta: -1 | 1) => void): Action[] {
  return [
    {
      id: 'up',
      keys: ['K', 'shift+up'],
      label: 'move up',
      dangerous: true,
      helpOnly: true,
      run: () => move(-1),
    },
    {
      id: 'down',
      keys: ['J', 'shift+down'],
      label: 'move down',
      dangerous: true,
      helpOnly: true,
      run: () => move(1),
    },
  ];
}
