// What a save does to people, in the save dialog: the workspace's blast radius (admin losses and
// gains first, in the theme's error and warning colours) and, when the draft would lock every
// administrator out, a dialog that saves only after the operator types the confirmation word.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Dialog } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { textAction, textState } from '../input/textEdit.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import { displayKeys } from '../keys.js';
import { useTheme } from '../theme.js';
import { changeLine, LOCKOUT_WORD, type Impact } from '../../domain/impact.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';

/** How many rows ImpactLines takes for at most `max` changes. */
export function impactRows(impact: Impact, max: number, note?: string): number {
  const n = impact.blast.changes.length;
  return 1 + (note ? 1 : 0) + Math.min(n, max) + (n > max ? 1 : 0);
}

export function ImpactLines(props: { impact: Impact; max: number; note?: string }): React.ReactElement {
  const theme = useTheme();
  const { changes, summary } = props.impact.blast;
  const shown = changes.slice(0, props.max);
  return (
    <Box flexDirection="column">
      <Text bold>Impact: {summary}</Text>
      {props.note ? (
        <Text dimColor wrap="truncate-end">
          ({sanitizeForTerminal(props.note)}; only Dex local users and user Secrets were checked)
        </Text>
      ) : null}
      {shown.map((c) => (
        <Text
          key={c.identity.key}
          wrap="truncate-end"
          bold={c.losesAdmin || c.gainsAdmin}
          color={c.losesAdmin ? theme.error : c.gainsAdmin ? theme.warning : undefined}
        >
          {c.losesAdmin ? '- ' : c.gainsAdmin ? '+ ' : '  '}
          {sanitizeForTerminal(changeLine(c))}
        </Text>
      ))}
      {changes.length > shown.length ? (
        <Text dimColor>… and {changes.length - shown.length} more</Text>
      ) : null}
    </Box>
  );
}

/** Before the logins are read, a save dialog shows this instead: deciding without them could miss
 *  a lockout (an administrator who logs in through a connector), which the commands never do
 *  (they read the logins first). It turns into the save dialog when they arrive. */
export function LoginsPendingDialog(props: { onClose: () => void }): React.ReactElement {
  return (
    <ConfirmDialog
      title="Reading Dex logins…"
      confirmLabel="OK"
      onConfirm={props.onClose}
      onCancel={props.onClose}
    >
      <Text>The impact of this save and the lockout check need the recorded logins.</Text>
      <Text dimColor>The save dialog opens as soon as they are read (or found unreadable).</Text>
    </ConfirmDialog>
  );
}

/** The save of a draft that leaves no way in: refused unless the confirmation word is typed. */
export function LockoutSaveDialog(props: {
  impact: Impact;
  note?: string;
  onSave: () => void;
  onCancel: () => void;
}): React.ReactElement {
  const theme = useTheme();
  const [text, setText] = useState(textState());
  const [error, setError] = useState<string | null>(null);
  const cancel = { id: 'cancel', keys: ['escape'], label: 'cancel', run: props.onCancel };
  const keys = useDialogKeys(
    [
      {
        id: 'save-lockout',
        keys: ['enter'],
        label: 'save anyway',
        run: () => {
          if (text.value !== LOCKOUT_WORD)
            return setError(`type "${LOCKOUT_WORD}" exactly to save, or ${displayKeys(cancel)} to cancel`);
          props.onSave();
        },
      },
      cancel,
      textAction('type the confirmation word', text, (next) => {
        setText(next);
        setError(null);
      }),
    ],
    { textFocused: true },
  );
  const { lockout } = props.impact;
  return (
    <Dialog title="This save locks every administrator out" danger keys={keys}>
      <Box flexDirection="column">
        <Text color={theme.error}>After it, no administrator can get in. It takes away:</Text>
        {lockout.lost.map((l) => (
          <Text key={l.way.key} color={theme.error} wrap="truncate-end">
            - {sanitizeForTerminal(`${l.way.description}: ${l.why}`)}
          </Text>
        ))}
        <Text>To keep a way in:</Text>
        {lockout.advice.map((a, i) => (
          <Text key={i} wrap="truncate-end">
            - {sanitizeForTerminal(a)}
          </Text>
        ))}
        <ImpactLines impact={props.impact} max={4} note={props.note} />
        <Text>Type &quot;{LOCKOUT_WORD}&quot; to save anyway:</Text>
      </Box>
      <TextField label="confirm" state={text} focused error={error ?? undefined} />
    </Dialog>
  );
}
