// The lines after a save's first one, the same for every write command: a colleague's change that
// was kept, the backup and how to undo it, and when the change takes effect.
import { CONFIG_KEY } from '../domain/names.js';
import type { SaveDexConfigResult } from '../store/types.js';

export function afterSaveLines(result: SaveDexConfigResult, changes: Record<string, unknown>): string[] {
  return [
    ...(result.rebased
      ? [`someone else changed ${result.remoteChangedKeys.join(', ')} meanwhile; their change was kept`]
      : []),
    ...(result.backupId
      ? [`backup ${result.backupId} (\`backups restore ${result.backupId}\` undoes it)`]
      : []),
    CONFIG_KEY in changes
      ? 'Dex reads config.yaml only when it starts: run `dex restart` to make it live'
      : 'rolesMapping takes effect on the next OIDC request; no restart needed',
  ];
}
