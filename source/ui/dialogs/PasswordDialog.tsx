// Password reset: masked entry twice with policy feedback as you type, a cost choice, a
// Cancel-default confirmation naming the user, hashing in the worker with progress, then the
// write and (for Epinio users) a re-read that verifies the stored hash.
import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useApp } from '../appContext.js';
import { Dialog } from '../components/Dialog.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { TextField } from '../components/TextField.js';
import {
  checkPassword,
  DEX_COST_RANGE,
  DEX_DEFAULT_COST,
  EPINIO_COSTS,
  EPINIO_DEFAULT_COST,
} from '../../password/policy.js';
import { hashPassword, prewarmPasswordWorker } from '../../password/hash.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { useFieldForm, useFormKeys } from '../input/useFieldForm.js';
import { useTheme } from '../theme.js';
import { GoneDialog } from './GoneDialog.js';
import { setPasswordFlow, showFlowResult } from './userFlows.js';
import { useGeneratedPassword } from './generatedPassword.js';

export interface PasswordEntry {
  pw: string;
  confirm: string;
}

/** Pure: what blocks this entry (policy first, then the confirmation). */
export function passwordProblems(e: PasswordEntry): { policy: string[]; mismatch: string | null } {
  return {
    policy: checkPassword(e.pw),
    mismatch: e.confirm && e.confirm !== e.pw ? 'the two passwords do not match' : null,
  };
}

type Phase = 'entry' | 'confirm' | 'working';

export function PasswordForm(props: {
  title: string;
  subject: string;
  costs: number[];
  defaultCost: number;
  note?: string;
  confirmLabel: string;
  /** Hash is computed here; the callback writes or stages it (and reports the outcome). */
  apply: (hash: string, pw: string) => Promise<void>;
}): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const form = useFieldForm(['', '']);
  const { fields, focus, setFocus } = form;
  const generated = useGeneratedPassword(form, [0, 1]);
  const [cost, setCost] = useState(props.defaultCost);
  const [phase, setPhase] = useState<Phase>('entry');
  const [tried, setTried] = useState(false);
  const [progress, setProgress] = useState('');
  // The worker starts (thread, cold JIT: most of a cost-10 hash) while the operator types.
  useEffect(prewarmPasswordWorker, []);
  const close = () => svc.dispatch({ type: 'popModal' });
  const entry = { pw: fields[0]!.value, confirm: fields[1]!.value };
  const problems = passwordProblems(entry);
  const blocked = problems.policy.length > 0 || entry.confirm !== entry.pw;

  const submit = () => {
    setTried(true);
    if (!blocked) setPhase('confirm');
    else setFocus(problems.policy.length ? 0 : 1);
  };
  // The third focus stop is the cost chooser: left/right (or -/+) step through the offered costs.
  const onCost = focus === 2;
  const i = props.costs.indexOf(cost);
  const keys = useFormKeys(form, {
    submitLabel: 'continue',
    submit,
    cancel: close,
    active: phase === 'entry',
    extraSlots: 1,
    slotActions: [
      {
        id: 'cost-down',
        keys: ['left', '-'],
        label: 'lower cost',
        enabled: onCost && i > 0,
        run: () => setCost(props.costs[i - 1]!),
      },
      {
        id: 'cost-up',
        keys: ['right', '+'],
        label: 'higher cost',
        enabled: onCost && i < props.costs.length - 1,
        run: () => setCost(props.costs[i + 1]!),
      },
      ...generated.actions,
    ],
  });

  if (phase === 'confirm') {
    return (
      <ConfirmDialog
        title={`Set the password of ${sanitizeForTerminal(props.subject)}?`}
        confirmLabel={props.confirmLabel}
        danger
        onCancel={() => setPhase('entry')}
        onConfirm={() => {
          setPhase('working');
          setProgress(`hashing (bcrypt cost ${cost})…`);
          const pw = entry.pw;
          hashPassword(pw, cost)
            .then((hash) => {
              setProgress('writing…');
              return props.apply(hash, pw);
            })
            .then(
              () => close(),
              (err: unknown) => {
                close();
                svc.report(`setting the password of ${props.subject}`, err);
              },
            );
        }}
      >
        <Text>The current password of {sanitizeForTerminal(props.subject)} stops working.</Text>
        {props.note ? <Text dimColor>{props.note}</Text> : null}
      </ConfirmDialog>
    );
  }
  if (phase === 'working') {
    return (
      <Dialog title={props.title}>
        <Text>{progress}</Text>
      </Dialog>
    );
  }
  return (
    <Dialog title={props.title} keys={keys}>
      <TextField label="new password" state={fields[0]!} focused={focus === 0} mask required />
      <TextField
        label="repeat"
        state={fields[1]!}
        focused={focus === 1}
        mask
        required
        error={
          (tried || entry.confirm.length >= entry.pw.length) && problems.mismatch
            ? problems.mismatch
            : undefined
        }
      />
      {generated.view}
      <Box>
        <Text bold={focus === 2}>
          {focus === 2 ? theme.marker : ' '} bcrypt cost: {'< '}
          <Text inverse={focus === 2}>{cost}</Text>
          {' >'}
        </Text>
        <Text dimColor>
          {' '}
          ({props.costs[0]}-{props.costs[props.costs.length - 1]}; higher is slower to guess and to check)
        </Text>
      </Box>
      {entry.pw || tried
        ? problems.policy.map((m, i) => (
            <Text key={i} color={theme.error}>
              ✗ {m}
            </Text>
          ))
        : null}
      {entry.pw && !problems.policy.length ? (
        <Text color={theme.success}>✓ meets the password policy</Text>
      ) : null}
    </Dialog>
  );
}

export function UserPasswordDialog(props: { secretName: string }): React.ReactElement {
  const svc = useApp();
  const user = svc.view?.users.find((u) => u.secretName === props.secretName);
  const secret = svc.state.snapshot?.users.find((s) => s.name === props.secretName);
  if (!user || !secret) return <GoneDialog title="User gone" text="The user is no longer listed." />;
  return (
    <PasswordForm
      title={`Reset password: ${sanitizeForTerminal(user.username)}`}
      subject={user.username}
      costs={EPINIO_COSTS}
      defaultCost={EPINIO_DEFAULT_COST}
      confirmLabel="Set password"
      note={
        user.hasPassword
          ? undefined
          : 'This user has no password yet: it can then also log in with basic auth.'
      }
      apply={async (hash, pw) =>
        showFlowResult(svc, await setPasswordFlow(svc.store, secret, user.username, hash, pw))
      }
    />
  );
}

export function StaticPasswordDialog(props: { email: string }): React.ReactElement {
  const svc = useApp();
  const costs: number[] = [];
  for (let c = DEX_COST_RANGE.min; c <= DEX_COST_RANGE.max; c++) costs.push(c);
  return (
    <PasswordForm
      title={`Dex local user password: ${sanitizeForTerminal(props.email)}`}
      subject={props.email}
      costs={costs}
      defaultCost={DEX_DEFAULT_COST}
      confirmLabel="Stage new password"
      note="Staged with the other config.yaml edits; live after save and a Dex restart."
      apply={async (hash) => {
        const err = svc.stage(`new password for Dex user ${props.email}`, [
          { op: 'static.setHash', email: props.email, hash },
        ]);
        if (err) throw new Error(err);
      }}
    />
  );
}
