// User detail, roles editing, creation and deletion (type the username to confirm).
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useApp } from '../appContext.js';
import { Dialog } from '../components/Dialog.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { TextField } from '../components/TextField.js';
import { useKeyLayer, PRIORITY } from '../input/bus.js';
import { editText, textState } from '../input/textEdit.js';
import { footerHints } from '../keys.js';
import { formatRolesAnnotation, serverSecretName } from '../../domain/users.js';
import { splitScopedRole } from '../../domain/roles.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { singleLine } from '../text.js';
import { checkPassword, EPINIO_DEFAULT_COST } from '../../password/policy.js';
import { hashPassword } from '../../password/hash.js';
import { useFieldForm, useFormKeys } from '../input/useFieldForm.js';
import { useTheme } from '../theme.js';

/** Roles typed as "a, b:ns": unknown ids are refused (Epinio would drop them silently). */
export function parseRolesInput(
  text: string,
  knownRoles: readonly string[] | undefined,
): { roles: string[]; error?: string } {
  const roles = text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (knownRoles?.length) {
    const unknown = roles.filter((r) => !knownRoles.includes(splitScopedRole(r).id));
    if (unknown.length)
      return {
        roles,
        error: `unknown role${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => `"${r}"`).join(', ')} (known: ${knownRoles.join(', ')}); Epinio skips unknown roles`,
      };
  }
  if (roles.some((r) => /\s/.test(r))) return { roles, error: 'roles contain no spaces' };
  return { roles };
}

export function UserDetailDialog(props: { secretName: string }): React.ReactElement {
  const svc = useApp();
  const u = svc.view?.users.find((x) => x.secretName === props.secretName);
  const close = () => svc.dispatch({ type: 'popModal' });
  useKeyLayer((name) => {
    if (name === 'escape' || name === 'enter' || name === 'q') close();
  }, PRIORITY.modal);
  if (!u)
    return (
      <Dialog title="User gone" hints="esc close">
        <Text>It is no longer listed.</Text>
      </Dialog>
    );
  // One line per fact: a 600-character value is cut with … instead of filling the screen.
  const s = singleLine;
  return (
    <Dialog title={`User ${s(u.username)}`} hints="esc close">
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
  useKeyLayer((name, input) => {
    if (confirm) return;
    if (name === 'escape') return close();
    if (name === 'enter') {
      const r = parseRolesInput(text.value, known);
      if (r.error) return setError(r.error);
      return setConfirm(r.roles);
    }
    const next = editText(text, name, input);
    if (next) {
      setText(next);
      setError(parseRolesInput(next.value, known).error ?? null);
    }
  }, PRIORITY.modal);
  if (!u || !secret)
    return (
      <Dialog title="User gone">
        <Text>It is no longer listed.</Text>
      </Dialog>
    );
  if (confirm) {
    const annotation = formatRolesAnnotation(confirm);
    return (
      <ConfirmDialog
        title={`Set roles of ${sanitizeForTerminal(u.username)}?`}
        confirmLabel="Write roles"
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          close();
          svc.store.setUserRoles(secret, annotation).then(
            async () => {
              svc.dispatch({ type: 'userSecrets', users: await svc.store.listUsers() });
              svc.dispatch({
                type: 'status',
                status: {
                  level: 'success',
                  message: `roles of ${u.username} set to "${annotation}" (effective on the next request)`,
                },
              });
            },
            (err: unknown) => svc.report(`setting the roles of ${u.username}`, err),
          );
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
    <Dialog title={`Roles of ${sanitizeForTerminal(u.username)}`} hints="⏎ continue · esc cancel">
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
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const close = () => svc.dispatch({ type: 'popModal' });
  const v = fields.map((f) => f.value);
  const errors: (string | undefined)[] = [];
  const username = v[0]!.trim();
  if (!username) errors[0] = 'required';
  else if (svc.view?.users.some((u) => u.username === username))
    errors[0] = `user "${username}" already exists (a duplicate would lock both out)`;
  errors[1] = parseRolesInput(v[1]!, svc.view?.knownRoles).error;
  if (v[3]) errors[3] = checkPassword(v[3]).join('; ') || undefined;
  if (v[3] !== v[4]) errors[4] = 'the two passwords do not match';
  const submit = () => {
    setTried(true);
    const bad = errors.findIndex(Boolean);
    if (bad >= 0) return setFocus(bad);
    setBusy(true);
    const roles = parseRolesInput(v[1]!, undefined).roles;
    const namespaces = v[2]!
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    (v[3] ? hashPassword(v[3], EPINIO_DEFAULT_COST) : Promise.resolve(undefined))
      .then((passwordHash) => svc.store.createUser({ username, passwordHash, roles, namespaces }))
      .then(async (secret) => {
        close();
        svc.dispatch({ type: 'userSecrets', users: await svc.store.listUsers() });
        svc.dispatch({
          type: 'status',
          status: { level: 'success', message: `created user ${username} (Secret ${secret.name})` },
        });
      })
      .catch((err: unknown) => {
        close();
        svc.report(`creating user ${username}`, err);
      });
  };
  const actions = useFormKeys(form, { submitLabel: 'create', submit, cancel: close, active: !busy });
  return (
    <Dialog title="Create Epinio user" hints={busy ? 'creating…' : footerHints(actions, false)}>
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
  useKeyLayer((name, input) => {
    if (name === 'escape') return close();
    if (name === 'enter') {
      if (!u || !secret) return close();
      if (text.value !== u.username)
        return setError(`type "${u.username}" exactly to delete, or esc to cancel`);
      close();
      svc.store.deleteUser(secret).then(
        async () => {
          svc.dispatch({ type: 'userSecrets', users: await svc.store.listUsers() });
          svc.dispatch({
            type: 'status',
            status: { level: 'success', message: `deleted user ${u.username} (Secret ${secret.name})` },
          });
        },
        (err: unknown) => svc.report(`deleting user ${u.username}`, err),
      );
      return;
    }
    const next = editText(text, name, input);
    if (next) {
      setText(next);
      setError(null);
    }
  }, PRIORITY.modal);
  if (!u)
    return (
      <Dialog title="User gone">
        <Text>It is no longer listed.</Text>
      </Dialog>
    );
  return (
    <Dialog title={`Delete user ${sanitizeForTerminal(u.username)}?`} danger hints="⏎ delete · esc cancel">
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
