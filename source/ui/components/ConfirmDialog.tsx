// A confirmation whose default is Cancel: Enter right after it opens does nothing harmful.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { Dialog } from './Dialog.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import { KEYS, type Action } from '../keys.js';
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
  /** Actions that are not buttons (scrolling a diff above the buttons). */
  actions?: Action[];
}): React.ReactElement {
  const theme = useTheme();
  const buttons = [
    { label: props.cancelLabel ?? 'Cancel', run: props.onCancel },
    ...(props.extra ?? []),
    { label: props.confirmLabel, run: props.onConfirm },
  ];
  const [focus, setFocus] = useState(0);
  const keys = useDialogKeys([
    {
      id: 'next',
      keys: ['tab', 'right'],
      label: 'next choice',
      enabled: buttons.length > 1,
      run: () => setFocus((f) => (f + 1) % buttons.length),
    },
    {
      id: 'prev',
      keys: ['shift+tab', 'left'],
      label: 'previous',
      enabled: buttons.length > 1,
      run: () => setFocus((f) => (f - 1 + buttons.length) % buttons.length),
    },
    { id: 'choose', keys: [...KEYS.choose], label: 'choose', run: () => buttons[focus]!.run() },
    { id: 'cancel', keys: ['escape'], label: 'cancel', run: props.onCancel },
    ...(props.actions ?? []),
  ]);
  return (
    <Dialog
      title={props.title}
      danger={props.danger}
      keys={keys}
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
