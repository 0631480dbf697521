// Add and remove Dex local users (staged).
import React, { useState } from 'react';
import { Text } from 'ink';
import { randomUUID } from 'node:crypto';
import { useApp } from '../appContext.js';
import { Dialog } from '../components/Dialog.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { TextField } from '../components/TextField.js';
import { checkPassword, DEX_DEFAULT_COST } from '../../password/policy.js';
import { hashPassword } from '../../password/hash.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { useFieldForm, useFormKeys } from '../input/useFieldForm.js';
import { useTheme } from '../theme.js';
import { useGeneratedPassword } from './generatedPassword.js';

export function StaticAddDialog(): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const labels = ['email', 'username', 'groups', 'password', 'repeat password'] as const;
  const form = useFieldForm(labels.map(() => ''));
  const { fields, focus, setFocus } = form;
  const generated = useGeneratedPassword(form, [3, 4]);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const close = () => svc.dispatch({ type: 'popModal' });
  const v = fields.map((f) => f.value.trim());
  const existing = (svc.view?.dexDoc?.staticPasswords() ?? []).map((s) => s.email.toLowerCase());
  const errors: (string | undefined)[] = [];
  if (!v[0]) errors[0] = 'required';
  else if (!/^[^@\s]+@[^@\s]+$/.test(v[0])) errors[0] = 'not an email address';
  else if (existing.includes(v[0].toLowerCase()))
    errors[0] = 'already exists (Dex compares emails case-insensitively)';
  errors[3] = checkPassword(fields[3]!.value).join('; ') || undefined;
  if (fields[3]!.value !== fields[4]!.value) errors[4] = 'the two passwords do not match';
  const submit = () => {
    setTried(true);
    const bad = errors.findIndex(Boolean);
    if (bad >= 0) return setFocus(bad);
    setBusy(true);
    hashPassword(fields[3]!.value, DEX_DEFAULT_COST).then(
      (hash) => {
        close();
        const groups = v[2]!
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean);
        const err = svc.stage(`add Dex local user ${v[0]}`, [
          {
            op: 'static.add',
            entry: {
              email: v[0]!,
              username: v[1] || undefined,
              userID: randomUUID(),
              hash,
              ...(groups.length ? { groups } : {}),
            },
          },
        ]);
        if (err) svc.dispatch({ type: 'status', status: { level: 'error', message: err } });
      },
      (err: unknown) => {
        close();
        svc.report('hashing the password', err);
      },
    );
  };
  const keys = useFormKeys(form, {
    submitLabel: 'stage',
    submit,
    cancel: close,
    active: !busy,
    slotActions: generated.actions,
  });
  return (
    <Dialog title="Add Dex local user" keys={keys} note="hashing…">
      {labels.map((l, i) => (
        <TextField
          key={l}
          label={l}
          state={fields[i]!}
          focused={i === focus}
          required={i === 0 || i >= 3}
          mask={i >= 3}
          error={tried || (i > 0 && fields[i]!.value) ? errors[i] : undefined}
        />
      ))}
      {generated.view}
      <Text dimColor>
        groups: comma-separated; rolesMapping can match them under connectorId "local". A fresh userID is
        generated.
      </Text>
      {tried && errors.some(Boolean) ? (
        <Text color={theme.error}>✗ fix the marked fields; nothing was staged</Text>
      ) : null}
    </Dialog>
  );
}

export function StaticRemoveDialog(props: { email: string }): React.ReactElement {
  const svc = useApp();
  const close = () => svc.dispatch({ type: 'popModal' });
  return (
    <ConfirmDialog
      title={`Remove Dex local user ${sanitizeForTerminal(props.email)}?`}
      confirmLabel="Stage removal"
      danger
      onCancel={close}
      onConfirm={() => {
        close();
        const err = svc.stage(`remove Dex local user ${props.email}`, [
          { op: 'static.remove', email: props.email },
        ]);
        if (err) svc.dispatch({ type: 'status', status: { level: 'error', message: err } });
      }}
    >
      <Text>They can no longer log in through Dex's password DB after save and a Dex restart.</Text>
    </ConfirmDialog>
  );
}
