// What a dialog shows when its subject vanished meanwhile (a reload, a colleague's delete).
import React from 'react';
import { Text } from 'ink';
import { useApp } from '../appContext.js';
import { Dialog } from '../components/Dialog.js';
import { useDialogKeys } from '../input/useDialogKeys.js';

export function GoneDialog(props: { title: string; text: string }): React.ReactElement {
  const svc = useApp();
  const keys = useDialogKeys([
    {
      id: 'close',
      keys: ['enter', 'q', 'escape'],
      label: 'close',
      run: () => svc.dispatch({ type: 'popModal' }),
    },
  ]);
  return (
    <Dialog title={props.title} keys={keys}>
      <Text>{props.text}</Text>
    </Dialog>
  );
}
