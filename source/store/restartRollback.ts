// `--rollback-on-failure` and the restart view's rollback key: write the backup the last save took
// (what it replaced) over `dex-config`, restart Dex again and verify again. One flow for both faces.
import { CONFIG_KEY } from '../domain/names.js';
import { StoreError } from './errors.js';
import type { RolloutProgress, Store } from './types.js';

export interface RollbackResult {
  /** The backup written back. */
  backupId: string;
  restoredKeys: string[];
  /** The backup of the failed version (taken by the restore), to go forward again. */
  failedVersionBackupId?: string;
  /** The second restart, verified like the first. */
  progress: RolloutProgress;
}

/** The backup a rollback restores: the one named (the save's), else the newest. */
export async function rollbackTarget(
  store: Store,
  backupId?: string,
): Promise<{ id: string; keys: string[] }> {
  const backups = await store.listBackups();
  const chosen = backupId
    ? backups.find((b) => b.id === backupId)
    : [...backups].sort((a, b) => b.takenAt.localeCompare(a.takenAt))[0];
  if (!chosen) {
    throw new StoreError(
      'NotFound',
      backupId
        ? `backup "${backupId}" not found: nothing to roll back to`
        : 'no backup of dex-config: nothing to roll back to',
      'backups are written by each save of this tool on this machine (`backups list`)',
    );
  }
  return { id: chosen.id, keys: chosen.keys };
}

export async function rollbackAndRestart(
  store: Store,
  options: {
    backupId?: string;
    timeoutMs: number;
    onProgress?: (p: RolloutProgress) => void;
  },
): Promise<RollbackResult> {
  const target = await rollbackTarget(store, options.backupId);
  // The config that failed: connectors the rollback brings back are checked against it.
  const failed = (await store.getDexConfig()).data[CONFIG_KEY];
  const restored = await store.restoreBackup(target.id);
  const progress = await store.restartDex({
    wait: true,
    timeoutMs: options.timeoutMs,
    onProgress: options.onProgress,
    verify: { previousConfig: failed },
  });
  return {
    backupId: target.id,
    restoredKeys: target.keys,
    ...(restored.backupId ? { failedVersionBackupId: restored.backupId } : {}),
    progress,
  };
}
