// The save rule both stores share (the precondition + rebase of the issue): write with the base
// version as precondition; when someone else wrote meanwhile, re-apply our changes on their version
// if they touched other keys, else stop with a ConflictError carrying both versions. A backup of the
// data about to be overwritten is written before every attempt.
import { ConflictError } from './errors.js';
import { changedKeys, effectiveChanges } from './objects.js';
import type { BackupInfo, SaveDexConfigRequest, SaveDexConfigResult, SecretObject } from './types.js';

export interface PreconditionWriter {
  /** Writes `changes` over `current` if it is still the stored version; 'conflict' when it is not. */
  write(current: SecretObject, changes: Record<string, string | null>): Promise<SecretObject | 'conflict'>;
  /** The latest stored version. */
  fetch(): Promise<SecretObject>;
  backup(previous: SecretObject): Promise<BackupInfo>;
}

/** Attempts before giving up on a Secret that keeps changing under us. */
const MAX_ATTEMPTS = 5;

export async function saveWithRebase(
  w: PreconditionWriter,
  request: SaveDexConfigRequest,
): Promise<SaveDexConfigResult> {
  const { base } = request;
  const ours = effectiveChanges(base.data, request.changes);
  if (!Object.keys(ours).length) return { secret: base, rebased: false, remoteChangedKeys: [] };
  let current = base;
  let remoteChangedKeys: string[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const backup = await w.backup(current);
    const written = await w.write(current, ours);
    if (written !== 'conflict') {
      return { secret: written, rebased: current !== base, remoteChangedKeys, backupId: backup.id };
    }
    const latest = await w.fetch();
    remoteChangedKeys = changedKeys(base.data, latest.data);
    // The same key changed on both sides is a conflict, unless both wrote the same value.
    const overlap = remoteChangedKeys.filter(
      (k) => k in ours && (ours[k] === null ? k in latest.data : latest.data[k] !== ours[k]),
    );
    if (overlap.length) throw new ConflictError(base, latest, overlap);
    current = latest;
  }
  throw new ConflictError(base, current, []);
}
