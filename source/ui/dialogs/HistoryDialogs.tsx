// The History screen's dialogs: one revision (author, time, summary, masked diff), and the write of
// a rollback or a re-apply after a helm upgrade, planned here and previewed and saved by
// KeyWriteDialog (the same derivation and checks as `history rollback|reapply`).
import React, { useState } from 'react';
import { Text } from 'ink';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ScrollText, scrollActions } from '../components/ScrollText.js';
import { useApp, type AppServices } from '../appContext.js';
import { rollbackChanges, RevisionError } from '../../domain/history.js';
import { planReapply } from '../../domain/historyReapply.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { detectHelmRender } from '../../domain/helmRender.js';
import { KeyWriteDialog, type PlannedWrite } from './KeyWriteDialog.js';

export function HistoryRevisionDialog(props: { number: number }): React.ReactElement {
  const svc = useApp();
  const [offset, setOffset] = useState(0);
  const close = () => svc.dispatch({ type: 'popModal' });
  const r = svc.state.history?.doc.revisions.find((x) => x.number === props.number);
  if (!r)
    return (
      <ConfirmDialog title={`Revision ${props.number}`} confirmLabel="OK" onConfirm={close} onCancel={close}>
        <Text>
          Revision {props.number} is no longer in the history (pruned, or the history was reloaded).
        </Text>
      </ConfirmDialog>
    );
  const height = Math.max(4, svc.listHeight - 4);
  return (
    <ConfirmDialog
      title={`Revision ${r.number} (${r.kind})`}
      cancelLabel="Close"
      confirmLabel="Roll back…"
      danger
      onCancel={close}
      onConfirm={() =>
        svc.dispatch({
          type: 'replaceModal',
          modal: { kind: 'historyWrite', what: 'rollback', number: r.number },
        })
      }
      actions={scrollActions(offset, setOffset, r.diff.length, height)}
    >
      <Text wrap="truncate-end">
        {sanitizeForTerminal(r.author.name)}
        {r.author.source === 'kubeconfig' ? ' (kubeconfig user; the API server did not say)' : ''} · {r.at}
      </Text>
      <Text wrap="wrap">{sanitizeForTerminal(r.summary)}</Text>
      {r.values ? null : (
        <Text dimColor>Its full values were dropped for size: it cannot be rolled back.</Text>
      )}
      <ScrollText lines={r.diff} offset={offset} height={height} diff />
    </ConfirmDialog>
  );
}

function plan(svc: AppServices, what: 'rollback' | 'reapply', number?: number): PlannedWrite {
  const snapshot = svc.state.snapshot!;
  const doc = svc.state.history?.doc;
  if (!doc)
    return {
      title: 'History',
      changes: {},
      notes: [],
      record: { kind: 'save' },
      error: 'the history is not loaded yet',
    };
  if (what === 'rollback') {
    try {
      const { changes } = rollbackChanges(doc, number!);
      return {
        title: `Roll back revision ${number}`,
        changes,
        notes: [],
        record: { kind: 'rollback', rollbackOf: number },
      };
    } catch (err) {
      if (!(err instanceof RevisionError)) throw err;
      return {
        title: `Roll back revision ${number}`,
        changes: {},
        notes: [],
        record: { kind: 'rollback' },
        error: err.message,
      };
    }
  }
  const render = detectHelmRender(snapshot.dexConfig, doc);
  const p = planReapply(doc, snapshot.dexConfig.data);
  return {
    title: 'Re-apply after helm upgrade',
    changes: p.changes,
    notes: [
      render?.reason ?? 'dex-config still holds what the tool last wrote (no helm re-render detected)',
      ...(p.revisions.length
        ? [`re-applies revision${p.revisions.length === 1 ? '' : 's'} ${p.revisions.join(', ')}`]
        : []),
      ...p.notes,
    ],
    record: { kind: 'reapply' },
  };
}

export function HistoryWriteDialog(props: {
  what: 'rollback' | 'reapply';
  number?: number;
}): React.ReactElement {
  const svc = useApp();
  return <KeyWriteDialog planned={plan(svc, props.what, props.number)} />;
}
