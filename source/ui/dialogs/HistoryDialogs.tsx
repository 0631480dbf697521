// The History screen's dialogs: one revision (author, time, summary, masked diff), and the write of
// a rollback or a re-apply after a helm upgrade: the masked diff and the problems of the result
// (domain/historyPreview.ts, the same derivation as `history rollback|reapply`), Cancel as the
// default, then one save with the loaded dex-config as precondition that records its own revision.
import React, { useState } from 'react';
import { Text } from 'ink';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ScrollText, scrollActions } from '../components/ScrollText.js';
import { useApp, type AppServices } from '../appContext.js';
import { rollbackChanges, RevisionError, type RevisionKind } from '../../domain/history.js';
import { previewChanges } from '../../domain/historyPreview.js';
import { planReapply } from '../../domain/historyReapply.js';
import { CONFIG_KEY } from '../../domain/names.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { detectHelmRender } from '../../domain/helmRender.js';
import { keyHint } from '../keys.js';
import { useTheme } from '../theme.js';

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

interface Planned {
  title: string;
  changes: Record<string, string | null>;
  notes: string[];
  record: { kind: RevisionKind; rollbackOf?: number };
  error?: string;
}

function plan(svc: AppServices, what: 'rollback' | 'reapply', number?: number): Planned {
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

async function save(svc: AppServices, p: Planned, changes: Record<string, string | null>): Promise<void> {
  const base = svc.state.snapshot!.dexConfig;
  try {
    const result = await svc.store.saveDexConfig({ base, changes, record: p.record });
    await svc.reload();
    const done = `${p.title.toLowerCase()}: saved ${Object.keys(changes).join(' and ')}${result.revision !== undefined ? ` (revision ${result.revision})` : ''}`;
    svc.dispatch({
      type: 'status',
      status: result.historyWarning
        ? { level: 'warning', message: `${done}; ${result.historyWarning}` }
        : { level: 'success', message: done },
    });
    if (result.historyWarning)
      svc.dispatch({
        type: 'pushModal',
        modal: {
          kind: 'message',
          title: 'Saved, but not in the shared history',
          lines: [result.historyWarning],
        },
      });
    if (CONFIG_KEY in changes)
      svc.dispatch({
        type: 'pushModal',
        modal: { kind: 'restart', reason: 'config.yaml changed: Dex reads it only when it starts.' },
      });
  } catch (err) {
    svc.report(p.title.toLowerCase(), err);
  }
}

export function HistoryWriteDialog(props: {
  what: 'rollback' | 'reapply';
  number?: number;
}): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const [offset, setOffset] = useState(0);
  const close = () => svc.dispatch({ type: 'popModal' });
  const p = plan(svc, props.what, props.number);
  const preview = p.error ? undefined : previewChanges(svc.state.snapshot!, p.changes);
  if (!preview || !Object.keys(preview.changes).length)
    return (
      <ConfirmDialog title={p.title} confirmLabel="OK" onConfirm={close} onCancel={close}>
        {p.notes.map((n, i) => (
          <Text key={i} wrap="wrap">
            {sanitizeForTerminal(n)}
          </Text>
        ))}
        <Text>
          {p.error
            ? `${sanitizeForTerminal(p.error)}; nothing was written.`
            : 'dex-config already holds it: nothing to write.'}
        </Text>
      </ConfirmDialog>
    );
  const errors = preview.problems.filter((x) => x.severity === 'error');
  const height = Math.max(4, svc.listHeight - 3 - Math.min(errors.length, 3) - p.notes.length);
  return (
    <ConfirmDialog
      title={p.title}
      confirmLabel={preview.addedErrors.length ? 'Save anyway' : 'Save'}
      danger
      onCancel={close}
      onConfirm={() => {
        close();
        void save(svc, p, preview.changes);
      }}
      actions={scrollActions(offset, setOffset, preview.diff.length, height)}
    >
      {p.notes.map((n, i) => (
        <Text key={i} wrap="truncate-end" color={i ? theme.warning : undefined}>
          {sanitizeForTerminal(n)}
        </Text>
      ))}
      <ScrollText lines={preview.diff} offset={offset} height={height} diff />
      {errors.slice(0, 3).map((x, i) => (
        <Text key={i} color={theme.error} wrap="truncate-end">
          ✗ {sanitizeForTerminal(x.message)}
        </Text>
      ))}
      <Text dimColor>
        Secrets are shown as ***. {keyHint('choose')} on the default choice cancels; the save records a
        revision.
      </Text>
    </ConfirmDialog>
  );
}
