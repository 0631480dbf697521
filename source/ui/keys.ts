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
  /** False while the action cannot be used: gone from footer, help and handling alike. */
  enabled?: boolean;
  /** Text entry: besides `keys` (the editing keys) it takes every printable key and a paste. */
  text?: boolean;
  /** The key that ran it (one action may stand for several keys, e.g. K/J) and its text. */
  run: (name: string, input: string) => void;
}

/**
 * Keys of actions that other text refers to ("U undoes this save", "f converts"): the action and
 * the sentence both take the key from here, so the words cannot name a key that does something else.
 */
export const KEYS = {
  save: ['w'],
  undoStep: ['z'],
  undoSave: ['U'],
  restart: ['R'],
  reload: ['ctrl+r'],
  rawEdit: ['E'],
  rename: ['n'],
  password: ['p'],
  convert: ['f'],
  addEntry: ['a'],
  choose: ['enter'],
  addItem: ['ctrl+n'],
  removeItem: ['ctrl+d'],
  nextChoice: ['right', 'space'],
  previousChoice: ['left'],
  explain: ['x'],
  rollback: ['r'],
  reapply: ['A'],
  suspend: ['ctrl+z'],
  generatePassword: ['ctrl+g'],
  copyPassword: ['ctrl+y'],
  markProduction: ['ctrl+p'],
  rollbackRestart: ['b'],
} as const satisfies Record<string, readonly string[]>;

/** The keys of a KEYS binding as the footer shows them: `keyHint('undoSave')` = "U". */
export const keyHint = (binding: keyof typeof KEYS): string => displayKeys({ keys: [...KEYS[binding]] });

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

/** The actions an operator can use: disabled ones, and dangerous ones in read-only mode, disappear. */
export function availableActions(actions: readonly Action[], readOnly: boolean): Action[] {
  return actions.filter((a) => a.enabled !== false && !(readOnly && a.dangerous));
}

/** Key names that are not typed characters (a text action takes everything else, and a paste). */
const NAMED_KEYS = new Set([
  'enter',
  'escape',
  'tab',
  'shift+tab',
  'up',
  'down',
  'shift+up',
  'shift+down',
  'left',
  'right',
  'pageup',
  'pagedown',
  'home',
  'end',
  'backspace',
  'delete',
  'space',
  'f1',
]);

export const isTypedKey = (name: string): boolean =>
  name === 'paste' || (name !== '' && !name.startsWith('ctrl+') && !NAMED_KEYS.has(name));

/** The enabled action a key belongs to: its own keys first, then a text action for typed keys. */
export function actionFor(actions: readonly Action[], name: string): Action | undefined {
  const live = actions.filter((a) => a.enabled !== false);
  return live.find((a) => a.keys.includes(name)) ?? (isTypedKey(name) ? live.find((a) => a.text) : undefined);
}

/**
 * One registry from several (screen before global, a dialog's own before its help): a key claimed
 * by an earlier action is dropped from later ones, so help never lists a key that does something else.
 */
export function mergeActions(...lists: readonly (readonly Action[])[]): Action[] {
  const claimed = new Set<string>();
  const out: Action[] = [];
  for (const a of lists.flat()) {
    if (a.enabled === false) continue;
    const keys = a.keys.filter((k) => !claimed.has(k));
    if (!keys.length && !a.text) continue;
    keys.forEach((k) => claimed.add(k));
    out.push(keys.length === a.keys.length ? a : { ...a, keys });
  }
  return out;
}

export type KeyResolution =
  { kind: 'run'; action: Action } | { kind: 'refused'; action: Action; reason: string } | { kind: 'none' };

/** Finds the action for a key; a dangerous action in read-only mode is refused with the reason. */
export function resolveKey(
  actions: readonly Action[],
  name: string,
  readOnly: { on: boolean; reasons: readonly string[] },
): KeyResolution {
  const action = actionFor(actions, name);
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

const DISPLAY: Record<string, string> = {
  enter: '⏎',
  escape: 'esc',
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  'shift+up': '⇧↑',
  'shift+down': '⇧↓',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  backspace: '⌫',
  delete: 'del',
  f1: 'F1',
};

export function displayKeys(action: Pick<Action, 'keys' | 'text'>): string {
  return [...(action.text ? ['type'] : []), ...action.keys.map((k) => DISPLAY[k] ?? k)].join('/');
}

/**
 * Footer line: "a add · d delete · ? help". Given a width, hints that do not fit are left to the
 * help overlay, last first; help and quit always stay (they are the way to everything else).
 */
export function footerHints(actions: readonly Action[], readOnly: boolean, width?: number): string {
  const shown = availableActions(actions, readOnly).filter((a) => !a.helpOnly);
  // A text action is "type …" here; help lists its editing keys.
  const line = (as: readonly Action[]) =>
    as.map((a) => `${a.text ? 'type' : displayKeys(a)} ${a.label}`).join(' · ');
  if (width !== undefined)
    for (let i = shown.length - 1; i >= 0 && [...line(shown)].length > width; i--)
      if (shown[i]!.id !== 'help' && shown[i]!.id !== 'quit') shown.splice(i, 1);
  return line(shown);
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
  // F1 (xterm, VT220 and Linux console forms): help where `?` is text (a focused text field).
  if (raw === '\x1bOP' || raw === '\x1b[11~' || raw === '\x1b[[A')
    return { keys: [{ name: 'f1', input: '', key: { ...NO_KEY } }], pasting: null };
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

/**
 * K/J (and shift+arrows) move the selected item in an ordered list (Dex order, mapping order),
 * each only where the item has somewhere to go.
 */
export function moveActions(move: (delta: -1 | 1) => void, can: { up: boolean; down: boolean }): Action[] {
  return [
    {
      id: 'move-up',
      keys: ['K', 'shift+up'],
      label: 'move up',
      dangerous: true,
      enabled: can.up,
      run: () => move(-1),
    },
    {
      id: 'move-down',
      keys: ['J', 'shift+down'],
      label: 'move down',
      dangerous: true,
      enabled: can.down,
      run: () => move(1),
    },
  ];
}
