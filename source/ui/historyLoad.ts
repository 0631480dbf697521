// Reads the revision history after each load, and offers a re-apply once per Helm re-render: when
// dex-config no longer holds what the tool wrote and the tool's revisions still have something to
// put back, the re-apply dialog opens on its own (with the diff; Cancel is the default), and the
// banner under the header stays until it is done.
import type { Dispatch, MutableRefObject } from 'react';
import type { Snapshot } from '../domain/objects.js';
import type { Store } from '../store/types.js';
import type { AppAction, AppState } from './state/appState.js';
import { helmRenderOf } from './screens/HistoryScreen.js';

export async function loadHistory(
  store: Store,
  snapshot: Snapshot,
  stateRef: MutableRefObject<AppState>,
  dispatch: Dispatch<AppAction>,
): Promise<void> {
  let history;
  try {
    history = await store.readHistory();
  } catch {
    return; // readHistory reports its own problems in `warning`; anything else leaves the last one shown.
  }
  const render = helmRenderOf({ state: { ...stateRef.current, snapshot, history } });
  const key = render ? `${render.lastRevision} ${snapshot.dexConfig.resourceVersion}` : undefined;
  const offer = key !== undefined && key !== stateRef.current.reapplyOffered;
  dispatch({ type: 'history', history, ...(offer ? { offered: key } : {}) });
  if (offer && !stateRef.current.readOnly.on && stateRef.current.modals.length === 0)
    dispatch({ type: 'pushModal', modal: { kind: 'historyWrite', what: 'reapply' } });
}
