// A dialog's keys: it declares its actions (keys, label, handler, when enabled) and this hook
// handles them, adds help (`?`, or F1 while a text field has focus and `?` is text) and returns
// the footer line and help rows from the same list. A key in no action does nothing.
import { useState } from 'react';
import { actionFor, footerHints, helpRows, mergeActions, type Action } from '../keys.js';
import { PRIORITY, useAlwaysActions, useKeyLayer } from './bus.js';

export interface DialogKeys {
  /** What the keys do right now (help's close keys while help is open). */
  actions: Action[];
  /** The footer line. */
  hints: string;
  /** Help is open: the dialog shows `rows` instead of its content. */
  helpOpen: boolean;
  rows: { keys: string; label: string }[];
}

export function useDialogKeys(
  declared: readonly Action[],
  options: {
    /** False while the dialog is busy (hashing, writing): no key does anything. */
    active?: boolean;
    /** A text field has focus: `?` is typed into it, so help is on F1 only. */
    textFocused?: boolean;
    /** No help action (the help overlay itself). */
    help?: boolean;
  } = {},
): DialogKeys {
  const [helpOpen, setHelpOpen] = useState(false);
  const own = mergeActions(
    declared,
    options.help === false
      ? []
      : [
          {
            id: 'help',
            keys: options.textFocused ? ['f1'] : ['?', 'f1'],
            label: 'help',
            run: () => setHelpOpen(true),
          },
        ],
  );
  const closeHelp: Action[] = [
    {
      id: 'close-help',
      keys: ['escape', '?', 'f1', 'enter', 'q'],
      label: 'close help',
      run: () => setHelpOpen(false),
    },
  ];
  const live = helpOpen ? closeHelp : options.active === false ? [] : own;
  useKeyLayer((name, input) => actionFor(live, name)?.run(name, input), PRIORITY.modal, live);
  const always = useAlwaysActions();
  return {
    actions: live,
    hints: footerHints(live, false),
    helpOpen,
    rows: helpRows([...own, ...always], false),
  };
}
