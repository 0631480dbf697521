// The one key registry. Every screen and dialog declares its actions as data; the input handler,
// the footer hints and the `?` help all read the same list, so they cannot drift apart. Read-only
// mode drops dangerous actions from all three, and pressing one explains why instead of acting.
import type { Key } from 'ink';

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
  | { kind: 'run'; action: Action }
  | { kind: 'refused'; action: Action; reason: string }
  | { kind: 'none' };

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
    return { kind: 'refused', action, reason: `"${action.label}" is not available in read-only mode (${why})` };
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
