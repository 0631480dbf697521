// List navigation shared by the screens, as registry entries (help lists them): arrows, j/k,
// PgUp/PgDn, Home/End (g/G) on one tab's cursor, each enabled only where it moves the cursor.
import { navDelta } from '../state/listWindow.js';
import type { AppServices } from '../appContext.js';
import type { TabId } from '../state/appState.js';
import type { Action } from '../keys.js';

const NAV: { id: string; keys: string[]; label: string }[] = [
  { id: 'cursor-up', keys: ['up', 'k'], label: 'cursor up' },
  { id: 'cursor-down', keys: ['down', 'j'], label: 'cursor down' },
  { id: 'page-up', keys: ['pageup'], label: 'page up' },
  { id: 'page-down', keys: ['pagedown'], label: 'page down' },
  { id: 'first', keys: ['home', 'g'], label: 'first' },
  { id: 'last', keys: ['end', 'G'], label: 'last' },
];

export function navActions(svc: AppServices, tab: TabId, total: number): Action[] {
  const cursor = Math.min(svc.state.positions[tab].cursor, total - 1);
  return NAV.map((n) => {
    const delta = navDelta(n.keys[0]!, svc.listHeight)!;
    return {
      ...n,
      helpOnly: true,
      enabled: delta < 0 ? cursor > 0 : cursor < total - 1,
      run: () => svc.dispatch({ type: 'move', tab, delta, total, height: svc.listHeight }),
    };
  });
}
