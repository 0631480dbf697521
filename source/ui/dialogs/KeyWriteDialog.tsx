// The write of whole dex-config keys from the UI: a history rollback or re-apply, and Undo save (a
// backup restore). The domain's preview of the result (domain/historyPreview.ts, the same as the
// commands' keyWrite.ts): masked diff, problems and impact, Cancel as the default; a result that
// locks every administrator out needs the confirmation word, as a staged save does. One save with
// the loaded dex-config as precondition, recording its own revision.
import React, { useState } from 'react';
import { Text } from 'ink';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ScrollText, scrollActions } from '../components/ScrollText.js';
import { useApp, type AppServices } from '../appContext.js';
import type { RevisionKind } from '../../domain/history.js';
import { previewChanges } from '../../domain/historyPreview.js';
import { CONFIG_KEY } from '../../domain/names.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { keyHint } from '../keys.js';
import { useTheme } from '../theme.js';
import { ImpactLines, impactRows, LockoutSaveDialog, LoginsPendingDialog } from './SaveImpact.js';

export interface PlannedWrite {
  title: string;
  changes: Record<string, string | null>;
  /** Lines above the diff; the first is plain, the others warnings. */
  notes: string[];
  record: { kind: RevisionKind; rollbackOf?: number };
  /** Why there is nothing to write (shown with "nothing was written"). */
  error?: string;
}

async function save(
  svc: AppServices,
  p: PlannedWrite,
  changes: Record<string, string | null>,
): Promise<void> {
  const base = svc.state.snapshot!.dexConfig;
  try {
    const result = await svc.store.saveDexConfig({ base, changes, record: p.record });
    await svc.reload();
    const done = `${p.title.toLowerCase()}: saved ${Object.keys(changes).join(' and ')}${result.revision !== undefined ? ` (revision ${result.revision})` : ''}${result.backupId ? `; the replaced version is backup ${result.backupId}` : ''}`;
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

export function KeyWriteDialog(props: { planned: PlannedWrite }): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const [offset, setOffset] = useState(0);
  const close = () => svc.dispatch({ type: 'popModal' });
  const p = props.planned;
  // The logins the workspace's impact already uses (undefined until they are read, or unreadable).
  const preview = p.error
    ? undefined
    : previewChanges(svc.state.snapshot!, p.changes, svc.view?.impactInput.logins);
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
  if (svc.loginsPending) return <LoginsPendingDialog onClose={close} />;
  const write = () => {
    close();
    void save(svc, p, preview.changes);
  };
  if (preview.impact.lockout.blocked)
    return (
      <LockoutSaveDialog impact={preview.impact} note={svc.loginsNote} onCancel={close} onSave={write} />
    );
  const errors = preview.problems.filter((x) => x.severity === 'error');
  const maxChanges = 4;
  const height = Math.max(
    4,
    svc.listHeight -
      3 -
      Math.min(errors.length, 3) -
      p.notes.length -
      impactRows(preview.impact, maxChanges, svc.loginsNote),
  );
  return (
    <ConfirmDialog
      title={p.title}
      confirmLabel={preview.addedErrors.length ? 'Save anyway' : 'Save'}
      danger
      onCancel={close}
      onConfirm={write}
      actions={scrollActions(offset, setOffset, preview.diff.length, height)}
    >
      {p.notes.map((n, i) => (
        <Text key={i} wrap="truncate-end" color={i ? theme.warning : undefined}>
          {sanitizeForTerminal(n)}
        </Text>
      ))}
      <ScrollText lines={preview.diff} offset={offset} height={height} diff />
      <ImpactLines impact={preview.impact} max={maxChanges} note={svc.loginsNote} />
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
