// Save: one write of the staged texts with the loaded Secret as precondition. A rebase is
// reported with the remote keys that were merged; a conflict keeps every staged edit and opens
// the conflict dialog; a config.yaml change offers a Dex restart (rolesMapping needs none).
import { ConflictError } from '../../store/errors.js';
import type { AppServices } from '../appContext.js';
import { CONFIG_KEY } from '../../domain/names.js';
import { keyHint } from '../keys.js';

export async function saveStaged(svc: AppServices): Promise<void> {
  const { state, view, dispatch } = svc;
  if (!state.snapshot || !view) return;
  const changes = { ...view.changes };
  const base = state.snapshot.dexConfig;
  if (!Object.keys(changes).length) {
    dispatch({ type: 'saved', dexConfig: base });
    dispatch({
      type: 'status',
      status: { level: 'info', message: 'the staged operations change nothing; nothing was written' },
    });
    return;
  }
  dispatch({
    type: 'status',
    status: { level: 'info', message: `saving ${Object.keys(changes).join(' and ')}…` },
  });
  try {
    const result = await svc.store.saveDexConfig({ base, changes });
    dispatch({ type: 'saved', dexConfig: result.secret, backupId: result.backupId });
    const parts = [`saved ${Object.keys(changes).join(' and ')}`];
    if (result.rebased)
      parts.push(
        `someone else changed ${result.remoteChangedKeys.join(', ')} meanwhile; their change was kept and merged with yours`,
      );
    if (result.backupId) parts.push(`backup ${result.backupId} (${keyHint('undoSave')} undoes this save)`);
    const configChanged = CONFIG_KEY in changes;
    if (!configChanged) parts.push('rolesMapping takes effect on the next OIDC request; no restart needed');
    // A history that could not record the save: said here, as the command says it (the backup stands).
    if (result.historyWarning) parts.push(result.historyWarning);
    dispatch({
      type: 'status',
      status: { level: result.historyWarning ? 'warning' : 'success', message: parts.join('; ') },
    });
    // Also as a dialog under the restart question: the status line is overwritten by what follows.
    if (result.historyWarning)
      dispatch({
        type: 'pushModal',
        modal: {
          kind: 'message',
          title: 'Saved, but not in the shared history',
          lines: [result.historyWarning],
        },
      });
    void svc.store.readHistory().then(
      (history) => dispatch({ type: 'history', history }),
      () => undefined,
    );
    if (configChanged)
      dispatch({
        type: 'pushModal',
        modal: {
          kind: 'restart',
          reason: 'config.yaml changed: Dex reads it only when it starts, so the change is not live yet.',
        },
      });
  } catch (err) {
    if (err instanceof ConflictError) {
      dispatch({
        type: 'pushModal',
        modal: { kind: 'conflict', base: err.base, remote: err.remote, overlappingKeys: err.overlappingKeys },
      });
      dispatch({
        type: 'status',
        status: { level: 'warning', message: 'conflict: nothing was written; your staged edits are kept' },
      });
      return;
    }
    svc.report('saving dex-config', err);
  }
}
