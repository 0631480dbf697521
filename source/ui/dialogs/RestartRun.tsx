// The restart progress view (issue 13): the rollout as the new ReplicaSet's pods show it, and on a
// failure the container's termination message and last log lines (masked by the store). One key
// (KEYS.rollbackRestart) writes back the backup the last save took, restarts Dex again and verifies again:
// the same flow as `dex restart --wait --rollback-on-failure` (store/restartRollback.ts).
import React, { useEffect, useRef, useState } from 'react';
import { Text } from 'ink';
import { Dialog } from '../components/Dialog.js';
import { useApp } from '../appContext.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { rollbackAndRestart } from '../../store/restartRollback.js';
import type { RolloutProgress } from '../../store/types.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import { KEYS, keyHint } from '../keys.js';
import { useTheme } from '../theme.js';

const TIMEOUT_MS = 180_000;
const LOG_ROWS = 6;

/** The lines of one progress report, most telling first. */
export function progressLines(p: RolloutProgress): { text: string; tone?: 'error' | 'success' | 'dim' }[] {
  const tone =
    p.phase === 'ready' ? 'success' : p.phase === 'failed' || p.phase === 'timeout' ? 'error' : undefined;
  const counts = p.replicas !== undefined ? ` (${p.readyReplicas ?? 0}/${p.replicas} ready)` : '';
  const out: { text: string; tone?: 'error' | 'success' | 'dim' }[] = [
    { text: `${p.phase}: ${p.message}${counts}`, tone },
  ];
  for (const pod of p.pods ?? [])
    out.push({
      text: `  new pod ${pod.name}: ${pod.state}${pod.detail ? ` (${pod.detail})` : ''}, ${pod.restarts} restarts`,
    });
  const f = p.failure;
  if (f) {
    const head = [f.reason, f.exitCode !== undefined ? `exit code ${f.exitCode}` : undefined]
      .filter(Boolean)
      .join(', ');
    out.push({ text: `  container ${f.container}${head ? ` (${head})` : ''}, termination message:` });
    for (const l of (f.message ?? '(none)').split('\n').slice(-3))
      out.push({ text: `    ${l}`, tone: 'error' });
    if (f.logs) {
      out.push({ text: `  last log lines:` });
      for (const l of f.logs.slice(-LOG_ROWS)) out.push({ text: `    ${l}`, tone: 'dim' });
    } else if (f.logsUnavailable) out.push({ text: `  logs unavailable: ${f.logsUnavailable}`, tone: 'dim' });
  }
  for (const c of p.checks ?? [])
    out.push({ text: `  ${c.ok === true ? 'ok' : c.ok === false ? 'FAILED' : 'not checked'}: ${c.message}` });
  for (const u of p.unseen ?? [])
    if (u !== f?.logsUnavailable) out.push({ text: `  cannot see: ${u}`, tone: 'dim' });
  return out;
}

export function RestartRun(): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const [latest, setLatest] = useState<RolloutProgress>({
    phase: 'restarting',
    message: 'restarting deployment/dex…',
  });
  const [busy, setBusy] = useState(true);
  const [stage, setStage] = useState<'restart' | 'rollback'>('restart');
  const [rolledBack, setRolledBack] = useState<string | null>(null);
  const started = useRef(false);
  const close = () => svc.dispatch({ type: 'popModal' });

  const finish = (final: RolloutProgress, what: string) => {
    setLatest(final);
    svc.dispatch({
      type: 'status',
      status:
        final.phase === 'ready'
          ? { level: 'success', message: `${what}: Dex restarted and ready` }
          : {
              level: 'error',
              message: `${what}: ${final.phase}: ${final.message}`,
              ...(what === 'restart'
                ? {
                    hint: `${keyHint('rollbackRestart')} in the restart view rolls back and restarts; once it is closed, ${keyHint('undoSave')} restores the backup`,
                  }
                : {}),
            },
    });
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    svc.store
      .restartDex({ wait: true, timeoutMs: TIMEOUT_MS, onProgress: setLatest })
      .then((final) => finish(final, 'restart'))
      .catch((err: unknown) => {
        svc.report('restarting Dex', err);
        setLatest({ phase: 'failed', message: 'see the status line' });
      })
      .finally(() => setBusy(false));
  }, []);

  const rollback = () => {
    setStage('rollback');
    setBusy(true);
    setLatest({ phase: 'restarting', message: 'rolling back: restoring the backup the last save took…' });
    rollbackAndRestart(svc.store, {
      backupId: svc.state.lastBackupId,
      timeoutMs: TIMEOUT_MS,
      onProgress: setLatest,
    })
      .then(async (r) => {
        setRolledBack(
          `restored ${r.restoredKeys.join(', ')} from backup ${r.backupId}${r.failedVersionBackupId ? ` (the failed version is backup ${r.failedVersionBackupId})` : ''}`,
        );
        await svc.reload();
        finish(r.progress, 'rollback');
      })
      .catch((err: unknown) => {
        svc.report('rolling back dex-config', err);
        setLatest({ phase: 'failed', message: 'rollback failed: see the status line' });
      })
      .finally(() => setBusy(false));
  };

  const keys = useDialogKeys(
    [
      {
        id: 'rollback',
        keys: [...KEYS.rollbackRestart],
        label: 'roll back config.yaml and restart again',
        dangerous: true,
        enabled: stage === 'restart' && latest.phase === 'failed' && !svc.state.readOnly.on,
        run: rollback,
      },
      { id: 'close', keys: ['enter', 'escape'], label: 'close', run: close },
    ],
    { active: !busy },
  );
  return (
    <Dialog
      title={stage === 'rollback' ? 'Rolling back and restarting Dex' : 'Restarting Dex'}
      keys={keys}
      note={busy ? 'following the new pods…' : undefined}
      danger={!busy && latest.phase !== 'ready'}
    >
      {rolledBack ? <Text color={theme.success}>rolled back: {sanitizeForTerminal(rolledBack)}</Text> : null}
      {progressLines(latest).map((l, i) => (
        <Text
          key={i}
          wrap={i === 0 ? 'wrap' : 'truncate-end'}
          dimColor={l.tone === 'dim'}
          color={l.tone === 'error' ? theme.error : l.tone === 'success' ? theme.success : undefined}
        >
          {sanitizeForTerminal(l.text)}
        </Text>
      ))}
    </Dialog>
  );
}
