// A confirmation whose default is Cancel: Enter right after it opens does nothing harmful.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { Dialog } from './Dialog.js';
import { useKeyLayer, PRIORITY } from '../input/bus.js';
import { footerHints, type Action } from '../keys.js';
import { useTheme } from '../theme.js';

export function ConfirmDialog(props: {
  title: string;
  children?: React.ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** Extra choices (e.g. "save and quit"), shown between Cancel and the confirm button. */
  extra?: { label: string; run: () => void }[];
  /** Keys that are not buttons (scrolling a diff above the buttons). */
  onKey?: (name: string) => void;
}): React.ReactElement {
  const theme = useTheme();
  const buttons = [
    { label: props.cancelLabel ?? 'Cancel', run: props.onCancel },
    ...(props.extra ?? []),
    { label: props.confirmLabel, run: props.onConfirm },
  ];
  const [focus, setFocus] = useState(0);
  const actions: Action[] = [
    {
      id: 'next',
      keys: ['tab', 'right'],
      label: 'next choice',
      run: () => setFocus((f) => (f + 1) % buttons.length),
    },
    {
      id: 'prev',
      keys: ['shift+tab', 'left'],
      label: 'previous',
      run: () => setFocus((f) => (f - 1 + buttons.length) % buttons.length),
    },
    { id: 'choose', keys: ['enter'], label: 'choose', run: () => buttons[focus]!.run() },
    { id: 'cancel', keys: ['escape'], label: 'cancel', run: props.onCancel },
  ];
  useKeyLayer((name) => {
    const action = actions.find((a) => a.keys.includes(name));
    if (action) action.run();
    else props.onKey?.(name);
  }, PRIORITY.modal);
  return (
    <Dialog
      title={props.title}
      danger={props.danger}
      hints={footerHints(actions, false)}
      footer={
        <Box marginTop={1} gap={2}>
          {buttons.map((b, i) => (
            <Text
              key={b.label}
              inverse={i === focus}
              bold={i === focus}
              color={i === buttons.length - 1 && props.danger ? theme.error : undefined}
            >
              {i === focus ? theme.marker : ' '}[ {b.label} ]
            </Text>
          ))}
        </Box>
      }
    >
      {props.children}
    </Dialog>
  );
}
