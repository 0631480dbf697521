// Binds an action registry to the input bus: the key runs the action, a dangerous key in
// read-only mode shows why it is refused, anything else goes to the fallback (navigation, text).
import type { Key } from 'ink';
import { resolveKey, type Action } from '../keys.js';
import { useKeyLayer, PRIORITY } from './bus.js';

export function useActionLayer(
  actions: readonly Action[],
  options: {
    readOnly: { on: boolean; reasons: readonly string[] };
    onRefused: (reason: string) => void;
    fallback?: (name: string, input: string, key: Key) => void;
    /** Give the fallback first pick (a focused text field takes printable keys). */
    fallbackFirst?: (name: string) => boolean;
    priority?: number;
  },
): void {
  useKeyLayer((name, input, key) => {
    if (options.fallbackFirst?.(name)) {
      options.fallback?.(name, input, key);
      return;
    }
    const r = resolveKey(actions, name, options.readOnly);
    if (r.kind === 'run') r.action.run();
    else if (r.kind === 'refused') options.onRefused(r.reason);
    else options.fallback?.(name, input, key);
  }, options.priority ?? PRIORITY.screen);
}
