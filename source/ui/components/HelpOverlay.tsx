// `?`: every key available right now, from the same registry as the footer and the handlers.
import React from 'react';
import { Box, Text } from 'ink';
import { Dialog } from './Dialog.js';
import { helpRows, type Action } from '../keys.js';
import { useKeyLayer, PRIORITY } from '../input/bus.js';

export function HelpOverlay(props: {
  actions: readonly Action[];
  readOnly: { on: boolean; reasons: string[] };
  onClose: () => void;
}): React.ReactElement {
  useKeyLayer((name) => {
    if (name === 'escape' || name === '?' || name === 'q' || name === 'enter') props.onClose();
  }, PRIORITY.modal);
  const rows = helpRows(props.actions, props.readOnly.on);
  const width = Math.max(...rows.map((r) => r.keys.length), 4);
  return (
    <Dialog title="Keys" hints="esc / ? close">
      {rows.map((r) => (
        <Box key={r.keys + r.label}>
          <Text bold>{r.keys.padEnd(width + 2)}</Text>
          <Text>{r.label}</Text>
        </Box>
      ))}
      <Text dimColor>↑/↓ j/k PgUp/PgDn Home/End move · / filter</Text>
      {props.readOnly.on ? (
        <Text dimColor>read-only: actions that write are hidden ({props.readOnly.reasons.join('; ')})</Text>
      ) : null}
    </Dialog>
  );
}
