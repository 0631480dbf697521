// The TUI's first snapshot, started before the UI code is loaded: its round trips to the API
// server then overlap with loading and starting Ink and React instead of following them.
import type { Snapshot, Store } from './types.js';

/** The store, whose first loadSnapshot() call takes the load already under way; later calls load anew. */
export function prefetchSnapshot(store: Store): Store {
  let first: Promise<Snapshot> | undefined = store.loadSnapshot();
  // Reported when the app takes it, like any load failure; not an unhandled rejection meanwhile.
  first.catch(() => undefined);
  return new Proxy(store, {
    get(target, key) {
      if (key === 'loadSnapshot') {
        return (): Promise<Snapshot> => {
          const taken = first;
          first = undefined;
          return taken ?? target.loadSnapshot();
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
