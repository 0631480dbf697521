// Save (masked diff + Cancel-default confirmation), conflict, Dex restart, undo of the last save
// and the quit-with-unsaved-edits question.
import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ScrollText, scrollActions } from '../components/ScrollText.js';
import { useApp } from '../appContext.js';
import { maskedDataDiff } from '../../domain/diff.js';
import { errorsOf } from '../../domain/problems.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { CONFIG_KEY, isHelmManaged, MAPPING_KEY } from '../../domain/names.js';
import { saveStaged } from './saveFlow.js';
import { ImpactLines, impactRows, LockoutSaveDialog, LoginsPendingDialog } from './SaveImpact.js';
import { RestartRun } from './RestartRun.js';
import type { BackupContent, BackupInfo, SecretObject } from '../../store/types.js';
import { KeyWriteDialog } from './KeyWriteDialog.js';
import { keyHint } from '../keys.js';
import { useTheme } from '../theme.js';
import { useContextMarks } from '../contextMarks.js';

/** The masked diff of dex-config's data; no secret reaches the screen (domain/masking.ts). */
export const stagedDiffLines = maskedDataDiff;

export function SaveDialog(): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const view = svc.view!;
  const [offset, setOffset] = useState(0);
  const lines = stagedDiffLines(
    { [CONFIG_KEY]: view.baseConfig, [MAPPING_KEY]: view.baseMapping },
    { [CONFIG_KEY]: view.config, [MAPPING_KEY]: view.mapping },
  );
  const errors = [...errorsOf(view.dexProblems), ...errorsOf(view.mappingProblems)];
  const maxChanges = 5;
  const height = Math.max(
    4,
    svc.listHeight - 2 - Math.min(errors.length, 3) - impactRows(view.impact, maxChanges, svc.loginsNote),
  );
  const close = () => svc.dispatch({ type: 'popModal' });
  // A context the operator marked as production: the confirmation says so and is red.
  const marks = useContextMarks();
  const loc = svc.store.location;
  const production = loc.backend === 'cluster' && marks.isProduction(loc.context);
  const target = production ? ` on PRODUCTION context ${sanitizeForTerminal(loc.context ?? '')}` : '';
  if (view.applyError) {
    return (
      <ConfirmDialog title="Cannot save yet" confirmLabel="OK" onConfirm={close} onCancel={close}>
        <Text color={theme.error}>{view.applyError}</Text>
        <Text>
          Undo the step that no longer applies ({keyHint('undoStep')}), then save again. Nothing was written.
        </Text>
      </ConfirmDialog>
    );
  }
  if (svc.loginsPending) return <LoginsPendingDialog onClose={close} />;
  if (view.impact.lockout.blocked) {
    return (
      <LockoutSaveDialog
        impact={view.impact}
        note={svc.loginsNote}
        onCancel={close}
        onSave={() => {
          close();
          void saveStaged(svc);
        }}
      />
    );
  }
  return (
    <ConfirmDialog
      title={`Save dex-config${target} (${svc.state.steps.length} staged step${svc.state.steps.length === 1 ? '' : 's'})`}
      confirmLabel={`${errors.length ? 'Save anyway' : 'Save'}${production ? ' to PRODUCTION' : ''}`}
      danger={errors.length > 0 || production}
      onCancel={close}
      onConfirm={() => {
        close();
        void saveStaged(svc);
      }}
      actions={scrollActions(offset, setOffset, lines.length, height)}
    >
      <ScrollText lines={lines} offset={offset} height={height} diff />
      <ImpactLines impact={view.impact} max={maxChanges} note={svc.loginsNote} />
      {errors.slice(0, 3).map((p, i) => (
        <Text key={i} color={theme.error} wrap="truncate-end">
          ✗ {sanitizeForTerminal(p.message)}
        </Text>
      ))}
      {svc.state.snapshot && isHelmManaged(svc.state.snapshot.dexConfig) ? (
        <Text color={theme.warning}>
          dex-config is Helm-managed: connectors and static passwords added here may vanish at the next helm
          upgrade.
        </Text>
      ) : null}
      <Text dimColor>Secrets are shown as ***. {keyHint('choose')} on the default choice cancels.</Text>
    </ConfirmDialog>
  );
}

export function ConflictDialog(props: {
  base: SecretObject;
  remote: SecretObject;
  overlappingKeys: string[];
}): React.ReactElement {
  const svc = useApp();
  const [offset, setOffset] = useState(0);
  const diff = stagedDiffLines(props.base.data, props.remote.data);
  const lines = diff.length ? diff : ['(no data change: only metadata)'];
  const height = Math.max(4, svc.listHeight - 6);
  const close = () => svc.dispatch({ type: 'popModal' });
  return (
    <ConfirmDialog
      title="Conflict: dex-config changed on the cluster"
      cancelLabel="Keep editing"
      confirmLabel="Reload and re-apply my edits"
      onCancel={() => {
        close();
        svc.dispatch({
          type: 'status',
          status: { level: 'info', message: 'your staged edits are kept; nothing was written' },
        });
      }}
      onConfirm={() => {
        close();
        // The staged operations are data: re-applied on the remote text by the derived view.
        svc.dispatch({ type: 'rebase', dexConfig: props.remote });
        svc.dispatch({
          type: 'status',
          status: {
            level: 'info',
            message:
              'reloaded the remote version; your staged edits are re-applied on top of it. Review with w.',
          },
        });
      }}
      actions={scrollActions(offset, setOffset, lines.length, height)}
    >
      <Text wrap="wrap">
        Someone else saved dex-config after you loaded it. Keys changed on both sides:{' '}
        {props.overlappingKeys.join(', ') || '(metadata only)'}. Nothing was written and your{' '}
        {svc.state.steps.length} staged step(s) are kept.
      </Text>
      <Text bold>What changed remotely:</Text>
      <ScrollText lines={lines} offset={offset} height={height} diff />
    </ConfirmDialog>
  );
}

export function RestartDialog(props: { reason: string }): React.ReactElement {
  const svc = useApp();
  const [started, setStarted] = useState(false);
  const close = () => svc.dispatch({ type: 'popModal' });
  // The rollout, its new pods, a failure's log and the rollback key: RestartRun.tsx.
  if (started) return <RestartRun />;
  return (
    <ConfirmDialog
      title="Restart Dex now?"
      cancelLabel="Later"
      confirmLabel="Restart Dex"
      onCancel={() => {
        close();
        svc.dispatch({
          type: 'status',
          status: {
            level: 'warning',
            message: `Dex not restarted: the saved config.yaml is not live until Dex restarts (${keyHint('restart')})`,
          },
        });
      }}
      onConfirm={() => setStarted(true)}
    >
      <Text>{props.reason}</Text>
      <Text dimColor>
        Equivalent to: kubectl rollout restart deployment/dex -n {svc.store.location.namespace}
      </Text>
    </ConfirmDialog>
  );
}

export function UndoSaveDialog(): React.ReactElement {
  const svc = useApp();
  const [backup, setBackup] = useState<BackupContent | 'none' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = () => svc.dispatch({ type: 'popModal' });
  useEffect(() => {
    let live = true;
    const latestOf = (backups: BackupInfo[]) =>
      backups.find((b) => b.id === svc.state.lastBackupId) ??
      [...backups].sort((a, b) => b.takenAt.localeCompare(a.takenAt))[0];
    // The newest backup's values, for the preview of what the restore writes.
    svc.store
      .listBackups()
      .then(async (backups) => {
        const latest = latestOf(backups);
        const content = latest ? await svc.store.readBackup(latest.id) : 'none';
        if (live) setBackup(content);
      })
      .catch((err: unknown) => live && setError(String((err as Error).message ?? err)));
    return () => {
      live = false;
    };
  }, [svc.store, svc.state.lastBackupId]);
  if (!backup || backup === 'none') {
    return (
      <ConfirmDialog title="Undo last save" confirmLabel="OK" onConfirm={close} onCancel={close}>
        <Text>
          {error
            ? `could not read the backups: ${error}`
            : backup
              ? 'No backup found: nothing to restore.'
              : 'reading backups…'}
        </Text>
      </ConfirmDialog>
    );
  }
  // A restore is a key-level write: the same preview, checks and save as a history rollback.
  return (
    <KeyWriteDialog
      planned={{
        title: 'Undo last save',
        changes: backup.data,
        notes: [
          // Not the id: one long word that the dialog cannot wrap (`backups list` shows it).
          `Writes the backup taken ${backup.takenAt} over the current dex-config.`,
          ...(svc.state.steps.length ? ['Your staged edits stay staged.'] : []),
        ],
        record: { kind: 'restore' },
      }}
    />
  );
}

export function QuitDialog(): React.ReactElement {
  const svc = useApp();
  const n = svc.state.steps.length;
  return (
    <ConfirmDialog
      title="Quit with unsaved changes?"
      cancelLabel="Keep editing"
      confirmLabel="Quit and discard"
      danger
      onCancel={() => svc.dispatch({ type: 'popModal' })}
      onConfirm={() => svc.quit(0)}
      extra={
        svc.state.readOnly.on
          ? []
          : [
              {
                label: 'Review and save',
                run: () => svc.dispatch({ type: 'replaceModal', modal: { kind: 'save' } }),
              },
            ]
      }
    >
      <Box flexDirection="column">
        <Text>
          {n} staged step{n === 1 ? '' : 's'} not saved:
        </Text>
        {svc.state.steps.slice(-5).map((s, i) => (
          <Text key={i}> · {sanitizeForTerminal(s.label)}</Text>
        ))}
      </Box>
    </ConfirmDialog>
  );
}
