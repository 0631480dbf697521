// List navigation shared by the screens: arrow keys, j/k, PgUp/PgDn, Home/End on one tab's cursor.
import { navDelta } from '../state/listWindow.js';
import type { AppServices } from '../appContext.js';
import type { TabId } from '../state/appState.js';

export function listNav(svc: AppServices, tab: TabId, total: number): (name: string) => void {
  return (name) => {
    const delta = navDelta(name, svc.listHeight);
    if (delta !== undefined) svc.dispatch({ type: 'move', tab, delta, total, height: svc.listHeight });
  };
}
