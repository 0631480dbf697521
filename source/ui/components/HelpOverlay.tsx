// `?` on a screen: every key available right now, from the same registry as the footer and the
// handlers; its own close keys come from a registry too.
import React from 'react';
import { Text } from 'ink';
import { Dialog, KeyRows } from './Dialog.js';
import { helpRows, type Action } from '../keys.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import { useAlwaysActions } from '../input/bus.js';

export function HelpOverlay(props: {
  actions: readonly Action[];
  readOnly: { on: boolean; reasons: string[] };
  onClose: () => void;
}): React.ReactElement {
  const keys = useDialogKeys(
    [{ id: 'close', keys: ['escape', '?', 'q', 'enter'], label: 'close', run: props.onClose }],
    { help: false },
  );
  const always = useAlwaysActions();
  return (
    <Dialog title="Keys" keys={keys}>
      <KeyRows rows={helpRows([...props.actions, ...always], props.readOnly.on)} />
      {props.readOnly.on ? (
        <Text dimColor>read-only: actions that write are hidden ({props.readOnly.reasons.join('; ')})</Text>
      ) : null}
    </Dialog>
  );
}
