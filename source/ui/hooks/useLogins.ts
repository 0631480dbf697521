// Dex's logins for the screens and dialogs (Logins screen, the save dialog's blast radius): read
// once per store and per load of the snapshot (a reload or a save reads them again), shared by every
// caller through one cache, so two components never read Dex's storage twice for the same load.
import { useEffect, useState } from 'react';
import type { Login } from '../../domain/objects.js';
import { LoginsUnavailableError } from '../../store/dexStorage.js';
import { describeError, StoreError } from '../../store/errors.js';
import type { Store } from '../../store/types.js';

export type LoginsState =
  | { status: 'loading' }
  | { status: 'ready'; logins: Login[] }
  /** Not readable: `reason` is one line (why), `hint` what to do; `kind` the store error kind. */
  | { status: 'unavailable'; reason: string; hint?: string; kind?: string; noStorage: boolean };

const cache = new WeakMap<Store, { key: unknown; promise: Promise<Login[]> }>();

/** The logins of this store for this load (`key`: the snapshot object), read at most once. */
export function loadLogins(store: Store, key: unknown): Promise<Login[]> {
  const hit = cache.get(store);
  if (hit && hit.key === key) return hit.promise;
  const promise = store.listLogins();
  cache.set(store, { key, promise });
  return promise;
}

export function loginsFailure(err: unknown): Extract<LoginsState, { status: 'unavailable' }> {
  const d = describeError(err);
  return {
    status: 'unavailable',
    reason: d.message,
    hint: d.hint,
    kind: err instanceof StoreError ? err.kind : undefined,
    noStorage: err instanceof LoginsUnavailableError,
  };
}

/** `key` null: nothing loaded yet (no read until the snapshot is there). */
export function useLogins(store: Store, key: object | null): LoginsState {
  const [state, setState] = useState<{ key: unknown; store: Store; value: LoginsState }>({
    key: undefined,
    store,
    value: { status: 'loading' },
  });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    loadLogins(store, key).then(
      (logins) => live && setState({ key, store, value: { status: 'ready', logins } }),
      (err: unknown) => live && setState({ key, store, value: loginsFailure(err) }),
    );
    return () => {
      live = false;
    };
  }, [store, key]);
  // A result of an older load or another store is not shown as this one's.
  return state.key === key && state.store === store ? state.value : { status: 'loading' };
}
