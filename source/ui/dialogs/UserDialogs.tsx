// User detail, roles editing, creation and deletion (type the username to confirm). The dialogs
// collect and check input; the writes are the flows of userFlows.ts.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useApp } from '../appContext.js';
import { Dialog } from '../components/Dialog.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { TextField } from '../components/TextField.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import { displayKeys } from '../keys.js';
import { textAction, textState } from '../input/textEdit.js';
import { formatRolesAnnotation, serverSecretName } from '../../domain/users.js';
import { rolesError, splitRolesText, usernameError, type InputError } from '../../domain/userInput.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { singleLine } from '../text.js';
import { checkPassword } from '../../password/policy.js';
import { useGeneratedPassword } from './generatedPassword.js';
import { useFieldForm, useFormKeys } from '../input/useFieldForm.js';
import { useTheme } from '../theme.js';
import { GoneDialog } from './GoneDialog.js';
import { createUserFlow, deleteUserFlow, setRolesFlow, showFlowResult } from './userFlows.js';

/**
 * Roles typed as "a, b:ns", checked by the domain's rule (the same as the commands' --role): the
 * field shows the same words the CLI prints, with the hint in brackets.
 */
export function parseRolesInput(
  text: string,
  knownRoles: readonly string[] | undefined,
): { roles: string[]; error?: string } {
  const roles = splitRolesText(text);
  const e = rolesError(roles, knownRoles);
  return e ? { roles, error: inputErrorText(e) } : { roles };
}

/** An input error as a field shows it: the message, then the hint in brackets. */
export const inputErrorText = (e: InputError): string => (e.hint ? `${e.message} (${e.hint})` : e.message);

export function UserDetailDialog(props: { secretName: string }): React.ReactElement {
  const svc = useApp();
  const u = svc.view?.users.find((x) => x.secretName === props.secretName);
  const keys = useDialogKeys(
    [
      {
        id: 'close',
        keys: ['enter', 'q', 'escape'],
        label: 'close',
        run: () => svc.dispatch({ type: 'popModal' }),
      },
    ],
    { active: Boolean(u) },
  );
  if (!u) return <GoneDialog title="User gone" text="It is no longer listed." />;
  // One line per fact: a 600-character value is cut with … instead of filling the screen.
  const s = singleLine;
  return (
    <Dialog title={`User ${s(u.username)}`} keys={keys}>
      <Text wrap="truncate-end">
        Secret: {s(u.secretName)} (type {s(u.secretType)})
        {u.helmManaged ? ' · Helm-managed: helm upgrade may overwrite it' : ''}
      </Text>
      <Text wrap="truncate-end">
        Roles: {s(u.roles.join(', ')) || '(none)'} · annotation "{s(u.rolesRaw)}"
      </Text>
      <Text wrap="truncate-end">Namespaces: {s(u.namespaces.join(', ')) || '(none)'}</Text>
      <Text wrap="truncate-end">Git configs: {s(u.gitconfigs.join(', ')) || '(none)'}</Text>
      <Text>
        Password:{' '}
        {u.hasPassword
          ? `set (bcrypt ${u.passwordScheme?.variant ?? '?'}${u.passwordScheme?.cost ? `, cost ${u.passwordScheme.cost}` : ''})`
          : 'none: can only log in through Dex until a password is set'}
      </Text>
      {u.duplicate ? (
        <Text color="red">Duplicate username: Epinio rejects it ("user is defined multiple times").</Text>
      ) : null}
      {u.problems.map((p, i) => (
        <Text key={i} color={p.severity === 'error' ? 'red' : 'yellow'} wrap="wrap">
          {p.severity === 'error' ? '✗' : '!'} {s(p.message)}
        </Text>
      ))}
    </Dialog>
  );
}

export function UserRolesDialog(props: { secretName: string }): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const u = svc.view?.users.find((x) => x.secretName === props.secretName);
  const secret = svc.state.snapshot?.users.find((x) => x.name === props.secretName);
  const [text, setText] = useState(textState(u?.roles.join(', ') ?? ''));
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string[] | null>(null);
  const close = () => svc.dispatch({ type: 'popModal' });
  const known = svc.view?.knownRoles;
  const keys = useDialogKeys(
    [
      {
        id: 'continue',
        keys: ['enter'],
        label: 'continue',
        run: () => {
          const r = parseRolesInput(text.value, known);
          if (r.error) setError(r.error);
          else setConfirm(r.roles);
        },
      },
      { id: 'cancel', keys: ['escape'], label: 'cancel', run: close },
      textAction('edit the roles', text, (next) => {
        setText(next);
        setError(parseRolesInput(next.value, known).error ?? null);
      }),
    ],
    { active: !confirm && Boolean(u && secret), textFocused: true },
  );
  if (!u || !secret) return <GoneDialog title="User gone" text="It is no longer listed." />;
  if (confirm) {
    const annotation = formatRolesAnnotation(confirm);
    return (
      <ConfirmDialog
        title={`Set roles of ${sanitizeForTerminal(u.username)}?`}
        confirmLabel="Write roles"
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          close();
          void setRolesFlow(svc.store, secret, u.username, confirm).then((r) => showFlowResult(svc, r));
        }}
      >
        <Text>
          epinio.io/roles: "{sanitizeForTerminal(u.rolesRaw)}" → "{sanitizeForTerminal(annotation)}"
        </Text>
        {!u.hasPassword ? (
          <Text color={theme.warning} wrap="wrap">
            This looks like an OIDC user: if its groups map to roles, its next OIDC request replaces these
            roles.
          </Text>
        ) : null}
      </ConfirmDialog>
    );
  }
  return (
    <Dialog title={`Roles of ${sanitizeForTerminal(u.username)}`} keys={keys}>
      <TextField label="roles" state={text} focused error={error ?? undefined} />
      <Text dimColor wrap="wrap">
        comma-separated; a role may be scoped to a namespace as role:namespace (e.g. admin:team-blue)
      </Text>
      <Text dimColor wrap="wrap">
        known roles:{' '}
        {known?.length ? sanitizeForTerminal(known.join(', ')) : '(role ConfigMaps not readable)'}
      </Text>
      {svc.view?.roles
        .filter((r) => !r.loaded)
        .map((r) => (
          <Text key={r.id} color={theme.warning}>
            ! role {sanitizeForTerminal(r.id)} is defined but not loaded (epinio-server restarts pick it up)
          </Text>
        ))}
    </Dialog>
  );
}

export function UserCreateDialog(): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const labels = ['username', 'roles', 'namespaces', 'password', 'repeat password'] as const;
  const form = useFieldForm(labels.map(() => ''));
  const { fields, focus, setFocus } = form;
  const generated = useGeneratedPassword(form, [3, 4]);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const close = () => svc.dispatch({ type: 'popModal' });
  const v = fields.map((f) => f.value);
  const errors: (string | undefined)[] = [];
  // Not trimmed: Epinio matches usernames exactly, so the domain refuses surrounding spaces.
  const username = v[0]!;
  const invalid = usernameError(username);
  const taken = svc.view?.users.find((u) => u.username === username);
  if (invalid) errors[0] = inputErrorText(invalid);
  else if (taken) errors[0] = `user "${username}" already exists (Secret ${taken.secretName})`;
  errors[1] = parseRolesInput(v[1]!, svc.view?.knownRoles).error;
  if (v[3]) errors[3] = checkPassword(v[3]).join('; ') || undefined;
  if (v[3] !== v[4]) errors[4] = 'the two passwords do not match';
  const submit = () => {
    setTried(true);
    const bad = errors.findIndex(Boolean);
    if (bad >= 0) return setFocus(bad);
    setBusy(true);
    const namespaces = v[2]!
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    void createUserFlow(svc.store, {
      username,
      password: v[3] || undefined,
      roles: parseRolesInput(v[1]!, undefined).roles,
      namespaces,
    }).then((r) => {
      close();
      showFlowResult(svc, r);
    });
  };
  const keys = useFormKeys(form, {
    submitLabel: 'create',
    submit,
    cancel: close,
    active: !busy,
    slotActions: generated.actions,
  });
  return (
    <Dialog title="Create Epinio user" keys={keys} note="creating…">
      {labels.map((l, i) => (
        <TextField
          key={l}
          label={l}
          state={fields[i]!}
          focused={i === focus}
          required={i === 0}
          mask={i >= 3}
          error={tried || (i !== 0 && fields[i]!.value) ? errors[i] : undefined}
        />
      ))}
      {generated.view}
      <Text dimColor>
        Secret name:{' '}
        {username ? serverSecretName(username) : '(from the username, as the Epinio server names it)'}
      </Text>
      <Text dimColor>No password: the user can only log in through Dex until one is set.</Text>
      {tried && errors.some(Boolean) ? (
        <Text color={theme.error}>✗ fix the marked fields; nothing was written</Text>
      ) : null}
    </Dialog>
  );
}

export function UserDeleteDialog(props: { secretName: string }): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const u = svc.view?.users.find((x) => x.secretName === props.secretName);
  const secret = svc.state.snapshot?.users.find((x) => x.name === props.secretName);
  const [text, setText] = useState(textState());
  const [error, setError] = useState<string | null>(null);
  const close = () => svc.dispatch({ type: 'popModal' });
  const cancel = { id: 'cancel', keys: ['escape'], label: 'cancel', run: close };
  const keys = useDialogKeys(
    [
      {
        id: 'delete',
        keys: ['enter'],
        label: 'delete',
        run: () => {
          if (text.value !== u!.username)
            return setError(`type "${u!.username}" exactly to delete, or ${displayKeys(cancel)} to cancel`);
          close();
          void deleteUserFlow(svc.store, secret!, u!.username).then((r) => showFlowResult(svc, r));
        },
      },
      cancel,
      textAction('type the username', text, (next) => {
        setText(next);
        setError(null);
      }),
    ],
    { active: Boolean(u && secret), textFocused: true },
  );
  if (!u || !secret) return <GoneDialog title="User gone" text="It is no longer listed." />;
  return (
    <Dialog title={`Delete user ${sanitizeForTerminal(u.username)}?`} danger keys={keys}>
      <Box flexDirection="column">
        <Text color={theme.error}>
          Deletes Secret {sanitizeForTerminal(u.secretName)}. The user can no longer log in with basic auth.
        </Text>
        {u.helmManaged ? (
          <Text color={theme.warning}>Helm-managed: the next helm upgrade may re-create it.</Text>
        ) : null}
        <Text>Type the username to confirm:</Text>
      </Box>
      <TextField label="username" state={text} focused error={error ?? undefined} />
    </Dialog>
  );
}
