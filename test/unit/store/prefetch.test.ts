// The TUI's early snapshot (source/store/prefetch.ts): the first load is the one already under
// way, nothing else changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDemoStore } from '../../../source/store/demo/demo.js';
import { NotFoundError } from '../../../source/store/errors.js';
import { prefetchSnapshot } from '../../../source/store/prefetch.js';
import type { Snapshot, Store } from '../../../source/store/types.js';

function counting(store: Store): { store: Store; loads: () => number } {
  let n = 0;
  const load = store.loadSnapshot.bind(store);
  store.loadSnapshot = (): Promise<Snapshot> => {
    n++;
    return load();
  };
  return { store, loads: () => n };
}

describe('prefetchSnapshot', () => {
  it('starts one load at once; the first call takes it, later calls load anew', async () => {
    const { store, loads } = counting(await createDemoStore());
    const early = prefetchSnapshot(store);
    assert.equal(loads(), 1);
    const first = await early.loadSnapshot();
    assert.equal(loads(), 1);
    assert.ok(first.dexConfig.data['config.yaml']);
    const second = await early.loadSnapshot();
    assert.equal(loads(), 2);
    assert.deepEqual(second.dexConfig.data, first.dexConfig.data);
    // Everything else is the store itself, methods bound to it.
    assert.equal(early.location, store.location);
    const { listUsers } = early;
    assert.deepEqual(await listUsers(), await store.listUsers());
  });

  it('a failed early load is reported to the first caller, not as an unhandled rejection', async () => {
    const failing = await createDemoStore();
    failing.loadSnapshot = () =>
      Promise.reject(new NotFoundError('secrets', 'dex-config', 'epinio', 'wrong namespace'));
    let unhandled = 0;
    const onUnhandled = (): void => void unhandled++;
    process.on('unhandledRejection', onUnhandled);
    try {
      const early = prefetchSnapshot(failing);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await assert.rejects(early.loadSnapshot(), {
        message: 'secrets "dex-config" not found in namespace "epinio"',
      });
      assert.equal(unhandled, 0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
