// Connector detail (secrets masked, `s` reveals), type picker, delete with its mapping impact,
// and rename with its subject warning.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { stringify } from 'yaml';
import { useApp } from '../appContext.js';
import { Dialog } from '../components/Dialog.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { SelectDialog } from '../components/SelectDialog.js';
import { TextField } from '../components/TextField.js';
import { ScrollText, scrollActions } from '../components/ScrollText.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import { textAction, textState } from '../input/textEdit.js';
import { GoneDialog } from './GoneDialog.js';
import { inputErrorText } from './UserDialogs.js';
import { connectorIdError } from '../../domain/userInput.js';
import { CONNECTOR_SCHEMAS } from '../../domain/connectorSchemas.js';
import { maskConnectorConfig } from '../../domain/masking.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { problemsForConnector } from '../../domain/workspace.js';
import { useTheme } from '../theme.js';

export function ConnectorDetailDialog(props: { id: string }): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const [reveal, setReveal] = useState(false);
  const [offset, setOffset] = useState(0);
  const c = svc.view?.dexDoc?.connector(props.id);
  const close = () => svc.dispatch({ type: 'popModal' });
  const config = c ? (reveal ? c.config : maskConnectorConfig(c.type, c.config)) : {};
  const lines = c ? stringify({ type: c.type, id: c.id, name: c.name, config }).split('\n') : [];
  const problems = c ? problemsForConnector(svc.view!.dexProblems, c.index) : [];
  const height = Math.max(3, svc.listHeight - problems.length - 1);
  const keys = useDialogKeys(
    [
      {
        id: 'reveal',
        keys: ['s'],
        label: reveal ? 'mask secrets' : 'reveal secrets',
        run: () => setReveal((r) => !r),
      },
      { id: 'close', keys: ['enter', 'q', 'escape'], label: 'close', run: close },
      ...scrollActions(offset, setOffset, lines.length, height),
    ],
    { active: Boolean(c) },
  );
  if (!c) return <GoneDialog title="Connector gone" text="It is no longer in the staged config." />;
  return (
    <Dialog title={`Connector ${sanitizeForTerminal(c.id)}${reveal ? ' (secrets shown)' : ''}`} keys={keys}>
      <ScrollText lines={lines} offset={offset} height={height} />
      {problems.map((p, i) => (
        <Text key={i} color={p.severity === 'error' ? theme.error : theme.warning} wrap="wrap">
          {p.severity === 'error' ? '✗' : '!'} {sanitizeForTerminal(p.message)}
        </Text>
      ))}
    </Dialog>
  );
}

export function ConnectorTypeDialog(): React.ReactElement {
  const svc = useApp();
  return (
    <SelectDialog
      title="Add connector: choose a type"
      height={Math.max(3, svc.listHeight - 1)}
      items={CONNECTOR_SCHEMAS.map((s) => ({
        id: s.type,
        label: s.type,
        hint: `${s.label} · ${s.kind}${s.networkAtStartup ? ' · contacts the IdP at startup' : ''}`,
      }))}
      onCancel={() => svc.dispatch({ type: 'popModal' })}
      onSelect={(item) =>
        svc.dispatch({ type: 'replaceModal', modal: { kind: 'connectorForm', type: item.id } })
      }
    />
  );
}

/** Mapping entries that reference a connector id. */
function referencingEntries(svc: ReturnType<typeof useApp>, id: string): number {
  return (svc.view?.mappingDoc.entries() ?? []).filter((e) => e.connectorId === id).length;
}

export function ConnectorDeleteDialog(props: { id: string }): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const refs = referencingEntries(svc, props.id);
  const doc = svc.view?.dexDoc;
  const last = (doc?.connectors().length ?? 0) === 1 && !doc?.enablePasswordDB;
  const close = () => svc.dispatch({ type: 'popModal' });
  const run = (removeRefs: boolean) => {
    const err = svc.stage(
      `delete connector ${props.id}${removeRefs ? ` and its ${refs} mapping entr${refs === 1 ? 'y' : 'ies'}` : ''}`,
      [{ op: 'connector.remove', id: props.id }],
      removeRefs ? [{ op: 'connector.removeRefs', connectorId: props.id }] : [],
    );
    close();
    if (err) svc.dispatch({ type: 'status', status: { level: 'error', message: `cannot delete: ${err}` } });
  };
  return (
    <ConfirmDialog
      title={`Delete connector ${sanitizeForTerminal(props.id)}?`}
      confirmLabel={refs ? 'Delete, keep mappings' : 'Delete'}
      danger
      onCancel={close}
      onConfirm={() => run(false)}
      extra={
        refs
          ? [
              {
                label: `Delete and remove ${refs} mapping entr${refs === 1 ? 'y' : 'ies'}`,
                run: () => run(true),
              },
            ]
          : []
      }
    >
      <Text>Users who log in through it can no longer log in with it (staged until you save).</Text>
      {refs ? (
        <Text color={theme.warning}>
          {refs} rolesMapping entr{refs === 1 ? 'y references' : 'ies reference'} this connector and would
          match nothing.
        </Text>
      ) : (
        <Text>No rolesMapping entry references it.</Text>
      )}
      {last ? (
        <Text color={theme.error}>
          It is the last connector and the password DB is off: Dex refuses to start without connectors.
        </Text>
      ) : null}
    </ConfirmDialog>
  );
}

export function ConnectorRenameDialog(props: { id: string }): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const [text, setText] = useState(textState(props.id));
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const refs = referencingEntries(svc, props.id);
  const ids = (svc.view?.dexDoc?.connectors() ?? []).map((c) => c.id).filter((id) => id !== props.id);
  const to = text.value;
  const close = () => svc.dispatch({ type: 'popModal' });
  const keys = useDialogKeys(
    [
      {
        id: 'continue',
        keys: ['enter'],
        label: 'continue',
        run: () => {
          if (to === props.id) return setError('type a new id');
          const invalid = connectorIdError(to, {
            otherIds: ids,
            enablePasswordDB: svc.view?.dexDoc?.enablePasswordDB ?? false,
          });
          if (invalid) return setError(inputErrorText(invalid));
          setConfirming(true);
        },
      },
      { id: 'cancel', keys: ['escape'], label: 'cancel', run: close },
      textAction('edit the id', text, (next) => {
        setText(next);
        setError(null);
      }),
    ],
    { active: !confirming, textFocused: true },
  );
  const run = (updateRefs: boolean) => {
    const err = svc.stage(
      `rename connector ${props.id} to ${to}`,
      [{ op: 'connector.rename', from: props.id, to }],
      updateRefs ? [{ op: 'connector.rename', from: props.id, to }] : [],
    );
    close();
    if (err) svc.dispatch({ type: 'status', status: { level: 'error', message: `cannot rename: ${err}` } });
  };
  if (confirming) {
    return (
      <ConfirmDialog
        title={`Rename ${sanitizeForTerminal(props.id)} to ${sanitizeForTerminal(to)}?`}
        confirmLabel={refs ? 'Rename only the connector' : 'Rename'}
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => run(false)}
        extra={
          refs
            ? [
                {
                  label: `Rename and update ${refs} rolesMapping entr${refs === 1 ? 'y' : 'ies'}`,
                  run: () => run(true),
                },
              ]
            : []
        }
      >
        <Text color={theme.warning} wrap="wrap">
          The id is part of every user's subject (sub): after the rename Dex sees all of them as new users,
          and clients keyed by subject lose their link.
        </Text>
        {refs ? (
          <Text wrap="wrap">
            {refs} rolesMapping entr{refs === 1 ? 'y uses' : 'ies use'} this id; without updating them, those
            users get no mapped roles.
          </Text>
        ) : null}
      </ConfirmDialog>
    );
  }
  return (
    <Dialog title={`Rename connector ${sanitizeForTerminal(props.id)}`} keys={keys}>
      <TextField label="new id" state={text} focused error={error ?? undefined} />
      <Box>
        <Text dimColor>Renaming changes every user's subject; you will be asked to confirm.</Text>
      </Box>
    </Dialog>
  );
}
