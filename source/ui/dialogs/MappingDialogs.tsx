// Mapping entry (connector picker), group (id + roles with validation), delete, and simulate.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useApp } from '../appContext.js';
import { Dialog } from '../components/Dialog.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { SelectDialog } from '../components/SelectDialog.js';
import { TextField } from '../components/TextField.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import { textAction, textState } from '../input/textEdit.js';
import { simulate } from '../../domain/simulate.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { inputErrorText, parseRolesInput } from './UserDialogs.js';
import { groupIdError } from '../../domain/userInput.js';
import { useFieldForm, useFormKeys } from '../input/useFieldForm.js';
import { useTheme } from '../theme.js';

function connectorChoices(svc: ReturnType<typeof useApp>) {
  const doc = svc.view?.dexDoc;
  const items = (doc?.connectors() ?? []).map((c) => ({
    id: c.id,
    label: sanitizeForTerminal(c.id),
    hint: `${sanitizeForTerminal(c.type)} · ${sanitizeForTerminal(c.name)}`,
  }));
  if (doc?.enablePasswordDB)
    items.push({ id: 'local', label: 'local', hint: 'Dex password DB (staticPasswords groups)' });
  return items;
}

export function MappingEntryDialog(props: { index?: number }): React.ReactElement {
  const svc = useApp();
  const close = () => svc.dispatch({ type: 'popModal' });
  return (
    <SelectDialog
      title={
        props.index === undefined
          ? 'Add mapping entry: choose the connector'
          : 'Change the connector of this entry'
      }
      items={connectorChoices(svc)}
      height={Math.max(3, svc.listHeight - 2)}
      onCancel={close}
      onSelect={(item) => {
        close();
        const err =
          props.index === undefined
            ? svc.stage(`add mapping entry for ${item.id}`, [], [{ op: 'entry.add', connectorId: item.id }])
            : svc.stage(
                `set connector of mapping entry ${props.index + 1} to ${item.id}`,
                [],
                [{ op: 'entry.setConnector', index: props.index, connectorId: item.id }],
              );
        if (err) svc.dispatch({ type: 'status', status: { level: 'error', message: err } });
        else if (props.index === undefined) {
          const entries = svc.view?.mappingDoc.entries().length ?? 0;
          svc.dispatch({ type: 'pushModal', modal: { kind: 'mappingGroup', entry: entries } });
        }
      }}
      intro={
        <Text dimColor>
          connectorId is the connector's id (not its type). The first entry per connector wins.
        </Text>
      }
    />
  );
}

export function MappingGroupDialog(props: { entry: number; group?: number }): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const existing =
    props.group !== undefined ? svc.view?.mappingDoc.entries()[props.entry]?.groups[props.group] : undefined;
  const form = useFieldForm([
    existing?.id ?? '',
    (existing?.roles.length ? existing.roles : existing?.legacyRole ? [existing.legacyRole] : []).join(', '),
  ]);
  const { fields, focus, setFocus } = form;
  const [tried, setTried] = useState(false);
  const [stageError, setStageError] = useState<string | null>(null);
  const close = () => svc.dispatch({ type: 'popModal' });
  const known = svc.view?.knownRoles;
  // Not trimmed: Epinio compares group names exactly (the domain refuses surrounding spaces).
  const id = fields[0]!.value;
  const roles = parseRolesInput(fields[1]!.value, known);
  const idError = groupIdError(id);
  const errors = [
    idError ? inputErrorText(idError) : undefined,
    roles.error ?? (roles.roles.length ? undefined : 'at least one role'),
  ];
  const submit = () => {
    setTried(true);
    const bad = errors.findIndex(Boolean);
    if (bad >= 0) return setFocus(bad);
    const err =
      props.group === undefined
        ? svc.stage(
            `add group ${id} → ${roles.roles.join(',')}`,
            [],
            [{ op: 'group.add', entry: props.entry, group: { id, roles: roles.roles } }],
          )
        : svc.stage(
            `edit group ${id} → ${roles.roles.join(',')}`,
            [],
            [{ op: 'group.set', entry: props.entry, group: props.group, id, roles: roles.roles }],
          );
    if (err) setStageError(err);
    else close();
  };
  const keys = useFormKeys(form, {
    submitLabel: 'stage',
    submit,
    cancel: close,
    onEdit: () => setStageError(null),
  });
  const connectorId = svc.view?.mappingDoc.entries()[props.entry]?.connectorId ?? '?';
  return (
    <Dialog title={`${existing ? 'Edit' : 'Add'} group for ${sanitizeForTerminal(connectorId)}`} keys={keys}>
      <TextField
        label="group id"
        state={fields[0]!}
        focused={focus === 0}
        required
        error={tried ? errors[0] : undefined}
      />
      <TextField
        label="roles"
        state={fields[1]!}
        focused={focus === 1}
        required
        error={tried || fields[1]!.value ? errors[1] : undefined}
      />
      <Text dimColor wrap="wrap">
        roles: comma-separated, optionally role:namespace. Known:{' '}
        {known?.length ? sanitizeForTerminal(known.join(', ')) : '(unknown)'}
      </Text>
      {existing?.legacyRole && !existing.roles.length ? (
        <Text color={theme.warning}>
          legacy role: is ignored by Epinio ≥ 1.11; saving writes roles: instead.
        </Text>
      ) : null}
      {stageError ? <Text color={theme.error}>✗ cannot stage: {sanitizeForTerminal(stageError)}</Text> : null}
    </Dialog>
  );
}

export function MappingDeleteDialog(props: { entry: number; group?: number }): React.ReactElement {
  const svc = useApp();
  const e = svc.view?.mappingDoc.entries()[props.entry];
  const close = () => svc.dispatch({ type: 'popModal' });
  const what =
    props.group === undefined
      ? `the whole entry for ${e?.connectorId} (${e?.groups.length ?? 0} groups)`
      : `group ${e?.groups[props.group]?.id} of ${e?.connectorId}`;
  return (
    <ConfirmDialog
      title="Delete from rolesMapping?"
      confirmLabel="Stage deletion"
      danger
      onCancel={close}
      onConfirm={() => {
        close();
        const err = svc.stage(
          `delete ${what}`,
          [],
          [
            props.group === undefined
              ? { op: 'entry.remove', index: props.entry }
              : { op: 'group.remove', entry: props.entry, group: props.group },
          ],
        );
        if (err) svc.dispatch({ type: 'status', status: { level: 'error', message: err } });
      }}
    >
      <Text>Delete {sanitizeForTerminal(what)}?</Text>
      <Text dimColor>Existing users keep their roles until a login maps new ones.</Text>
    </ConfirmDialog>
  );
}

export function SimulateDialog(): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const choices = connectorChoices(svc);
  const [ci, setCi] = useState(0);
  const [groups, setGroups] = useState(textState());
  const close = () => svc.dispatch({ type: 'popModal' });
  const many = choices.length > 1;
  const keys = useDialogKeys(
    [
      {
        id: 'prev',
        keys: ['up', 'shift+tab'],
        label: 'previous connector',
        enabled: many,
        run: () => setCi((i) => (i + choices.length - 1) % choices.length),
      },
      {
        id: 'next',
        keys: ['down', 'tab'],
        label: 'next connector',
        enabled: many,
        run: () => setCi((i) => (i + 1) % choices.length),
      },
      { ...textAction('groups (comma-separated)', groups, setGroups), helpOnly: false },
      { id: 'close', keys: ['escape'], label: 'close', run: close },
    ],
    { textFocused: true },
  );
  const view = svc.view!;
  const connectorId = choices[ci]?.id ?? '';
  const defaultRole = view.roles.find((r) => r.default)?.id;
  const result = connectorId
    ? simulate(view.mappingDoc.entries(), {
        connectorId,
        groups: groups.value
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean),
        semantics: view.semantics,
        knownRoles: view.knownRoles,
        defaultRole,
      })
    : null;
  return (
    <Dialog title="Simulate an OIDC login" keys={keys}>
      <Text>
        connector: <Text inverse>{sanitizeForTerminal(connectorId || '(none)')}</Text> ({ci + 1}/
        {choices.length})
      </Text>
      <TextField label="groups" state={groups} focused />
      {result ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color={theme.accent}>
            roles: {result.roles.length ? result.roles.join(', ') : '(none mapped)'}
          </Text>
          <Text wrap="wrap">{sanitizeForTerminal(result.explanation)}</Text>
          <Text>new user: {sanitizeForTerminal(result.newUser)}</Text>
          <Text>existing user: {sanitizeForTerminal(result.existingUser)}</Text>
          {result.skipped.map((s, i) => (
            <Text key={i} color={theme.warning}>
              skipped {sanitizeForTerminal(s.role)}: {sanitizeForTerminal(s.reason)}
            </Text>
          ))}
        </Box>
      ) : null}
    </Dialog>
  );
}
