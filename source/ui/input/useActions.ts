// Binds the screen's registry to the input bus: the key runs its action, a dangerous key in
// read-only mode shows why it is refused, and a key in no action does nothing.
import { resolveKey, type Action } from '../keys.js';
import { useKeyLayer, PRIORITY } from './bus.js';

export function useActionLayer(
  actions: readonly Action[],
  options: {
    readOnly: { on: boolean; reasons: readonly string[] };
    onRefused: (reason: string) => void;
  },
): void {
  useKeyLayer(
    (name, input) => {
      const r = resolveKey(actions, name, options.readOnly);
      if (r.kind === 'run') r.action.run(name, input);
      else if (r.kind === 'refused') options.onRefused(r.reason);
    },
    PRIORITY.screen,
    actions.filter((a) => a.enabled !== false && !(options.readOnly.on && a.dangerous)),
  );
}
