// Faults during load and save. Cluster faults come from a fault-injecting HTTP proxy in front of the
// shared kube-apiserver (the store talks to it like to `kubectl proxy`): server stopped (connection
// refused, connection reset mid-load and at the write), answers delayed past --request-timeout (no
// answer, or a body that stalls), and a 500. File faults are real: a read-only bind mount, a full
// tmpfs (for the manifest, and for the backup directory). Every case must end with a clear typed
// error, no partial write (server object / file unchanged), the staged edits still in the caller's
// hands, and a retry of the same request that succeeds once the fault is gone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StoreError, type StoreErrorKind } from '../../source/store/errors.js';
import { openStore } from '../../source/store/connect.js';
import type { SaveDexConfigRequest, Store } from '../../source/store/types.js';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';
import { FaultProxy } from './lib/faultProxy.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const TIMEOUT_MS = 1500;
/** A hang bound, not a performance assertion: the deadline is 1.5 s, anything near 15 s is a hang. */
const HANG_BOUND_MS = 15_000;
const work = mkdtempSync(join(tmpdir(), 'eda-faults-'));
process.env.XDG_STATE_HOME = join(work, 'state');

const figures = { cases: 0, typedErrors: 0, unchangedAfterFault: 0, retriesOk: 0 };
let proxyRequests = 0;
after(() => {
  console.log(
    `faults: ${figures.cases} cases, typed errors ${figures.typedErrors}, unchanged after fault ${figures.unchangedAfterFault}, retries ok ${figures.retriesOk}, proxy requests ${proxyRequests}`,
  );
  rmSync(work, { recursive: true, force: true });
});

async function expectTyped(p: Promise<unknown>, kind: StoreErrorKind, what: string): Promise<StoreError> {
  const started = Date.now();
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  const took = Date.now() - started;
  assert.ok(took < HANG_BOUND_MS, `${what}: no answer within ${HANG_BOUND_MS} ms`);
  assert.ok(
    err instanceof StoreError,
    `${what}: expected a StoreError, got ${err === undefined ? 'success' : String(err)}`,
  );
  assert.equal(err.kind, kind, `${what}: ${err.message}`);
  assert.ok(
    err.message.length > 10 && !/\n\s+at /.test(err.message),
    `${what}: unclear message ${err.message}`,
  );
  figures.typedErrors++;
  console.log(`faults: ${what} -> ${err.kind}: ${err.message} (${took} ms)`);
  return err;
}

function mount(args: string[], what: string): void {
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
  } catch (err) {
    throw new Error(
      `cannot ${what} (mount ${args.join(' ')}): ${(err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message}. ` +
        'This test needs root with mount rights (CAP_SYS_ADMIN); it does not skip.',
    );
  }
}

function umount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    // already unmounted
  }
}

function fill(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(4096, 0x41);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  // Small writes may still fit in the last page: fill byte by byte too.
  const fd2 = openSync(filler, 'a');
  try {
    for (;;) writeSync(fd2, Buffer.from('A'));
  } catch {
    // full
  } finally {
    closeSync(fd2);
  }
  return filler;
}

describe('faults against the API server (fault-injecting proxy)', { concurrency: 1 }, () => {
  let ns: string;
  let proxy: FaultProxy;
  let store: Store;
  const client = () => adminClient();
  const dexPath = () => `/api/v1/namespaces/${ns}/secrets/dex-config`;

  async function serverCopy(): Promise<{ rv: string; data: Record<string, string> }> {
    const res = await client().get(dexPath());
    assert.equal(res.status, 200);
    return { rv: res.body.metadata.resourceVersion as string, data: res.body.data as Record<string, string> };
  }

  /** The write the operator staged: kept by the caller, never consumed by a failed save. */
  async function staged(tag: string): Promise<SaveDexConfigRequest> {
    const base = await store.getDexConfig();
    return { base, changes: { rolesMapping: `${base.data.rolesMapping}# staged ${tag}\n` } };
  }

  async function saveFaultThenRetry(
    tag: string,
    fault: () => void,
    kind: StoreErrorKind,
    heal: () => Promise<void> | void,
  ): Promise<void> {
    figures.cases++;
    proxy.rule = () => 'pass';
    const request = await staged(tag);
    const copy = structuredClone(request);
    const before = await serverCopy();
    const writesBefore = proxy.forwardedWrites;
    fault();
    await expectTyped(store.saveDexConfig(request), kind, `save with ${tag}`);
    assert.deepEqual(await serverCopy(), before, `${tag}: the server object changed`);
    assert.equal(proxy.forwardedWrites, writesBefore, `${tag}: a write reached the server`);
    assert.deepEqual(request, copy, `${tag}: the staged request was modified`);
    figures.unchangedAfterFault++;
    await heal();
    proxy.rule = () => 'pass';
    const r = await store.saveDexConfig(request);
    assert.equal(r.secret.data.rolesMapping, request.changes.rolesMapping);
    const now = await serverCopy();
    assert.equal(
      Buffer.from(now.data.rolesMapping!, 'base64').toString('utf8'),
      request.changes.rolesMapping,
    );
    figures.retriesOk++;
  }

  before(async () => {
    ns = await createTestNamespace('faults', { fixtures: true });
    proxy = await FaultProxy.start();
    store = await openStore({
      kubeconfig: proxy.kubeconfig(work, ns),
      namespace: ns,
      requestTimeoutMs: TIMEOUT_MS,
    });
    await store.loadSnapshot(); // the proxy path works before any fault
  });
  after(async () => {
    proxyRequests = proxy?.seen.length ?? 0;
    await proxy?.close();
  });

  it('server stopped before and during load: Unreachable, then a retry loads', async () => {
    figures.cases += 2;
    await proxy.down();
    await expectTyped(store.loadSnapshot(), 'Unreachable', 'load with the server stopped');
    await proxy.up();
    // Mid-load: dex-config answers, the user list's connection is cut.
    proxy.rule = (m, p) => (p.includes('/secrets?') ? 'reset' : 'pass');
    await expectTyped(store.loadSnapshot(), 'Unreachable', 'load with the connection cut mid-load');
    proxy.rule = () => 'pass';
    const snap = await store.loadSnapshot();
    assert.ok(snap.users.length > 0);
    figures.retriesOk += 2;
  });

  it('server stopped during save: no write, staged edits kept, retry succeeds', async () => {
    await saveFaultThenRetry(
      'connection reset at the write',
      () => (proxy.rule = (m) => (m === 'PATCH' ? 'reset' : 'pass')),
      'Unreachable',
      () => undefined,
    );
    await saveFaultThenRetry(
      'server stopped at the write',
      () => void proxy.down(),
      'Unreachable',
      () => proxy.up(),
    );
  });

  it('responses delayed past the request timeout: Timeout, bounded', async () => {
    figures.cases += 2;
    proxy.rule = (m, p) => (m === 'GET' && p.endsWith('/secrets/dex-config') ? 'stall' : 'pass');
    await expectTyped(store.getDexConfig(), 'Timeout', 'load with no answer');
    proxy.rule = (m, p) => (m === 'GET' && p.endsWith('/secrets/dex-config') ? 'stallBody' : 'pass');
    await expectTyped(store.loadSnapshot(), 'Timeout', 'load with a body that stalls');
    proxy.rule = () => 'pass';
    await store.loadSnapshot();
    figures.retriesOk += 2;
    await saveFaultThenRetry(
      'no answer to the write',
      () => (proxy.rule = (m) => (m === 'PATCH' ? 'stall' : 'pass')),
      'Timeout',
      () => undefined,
    );
  });

  it('a 500 from the server: ServerError on load and on save, retry succeeds', async () => {
    figures.cases++;
    proxy.rule = (m, p) => (m === 'GET' && p.includes('/configmaps') ? '500' : 'pass');
    const err = await expectTyped(store.loadSnapshot(), 'ServerError', 'load with a 500');
    assert.match(err.message, /500/);
    proxy.rule = () => 'pass';
    await store.loadSnapshot();
    figures.retriesOk++;
    await saveFaultThenRetry(
      'a 500 to the write',
      () => (proxy.rule = (m) => (m === 'PATCH' ? '500' : 'pass')),
      'ServerError',
      () => undefined,
    );
  });

  it('the backup directory is full: nothing is written to the server, retry succeeds', async () => {
    const full = join(work, 'full-state');
    mkdirSync(full);
    mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full], 'mount a small tmpfs');
    const saved = process.env.XDG_STATE_HOME;
    try {
      process.env.XDG_STATE_HOME = full;
      const s = await openStore({
        kubeconfig: getStack().kubeconfigs.admin,
        namespace: ns,
        requestTimeoutMs: 20_000,
      });
      mkdirSync(join(full, 'epinio-dex-admin', 'backups'), { recursive: true });
      const filler = fill(full);
      figures.cases++;
      const base = await s.getDexConfig();
      const request: SaveDexConfigRequest = {
        base,
        changes: { rolesMapping: `${base.data.rolesMapping}# backup-full\n` },
      };
      const copy = structuredClone(request);
      const before = await serverCopy();
      await expectTyped(s.saveDexConfig(request), 'FileError', 'save with the backup directory full');
      assert.deepEqual(
        await serverCopy(),
        before,
        'the server object changed although no backup could be written',
      );
      // No truncated backup left behind: it would be listed as an id that cannot be restored.
      assert.deepEqual(
        readdirSync(join(full, 'epinio-dex-admin', 'backups')),
        [],
        'a partial backup file was left in the full directory',
      );
      assert.deepEqual(request, copy);
      figures.unchangedAfterFault++;
      rmSync(filler);
      await s.saveDexConfig(request);
      figures.retriesOk++;
    } finally {
      process.env.XDG_STATE_HOME = saved;
      umount(full);
    }
  });
});

describe('faults on the manifest file', { concurrency: 1 }, () => {
  const manifest = join(ROOT, 'test/fixtures/manifests/list.yaml');
  const mounted: string[] = [];
  after(() => {
    for (const m of mounted.reverse()) umount(m);
  });

  it('read-only bind mount: a file error naming the read-only file system, file unchanged, retry after remount rw succeeds', async () => {
    figures.cases++;
    const src = join(work, 'rw');
    const ro = join(work, 'ro');
    mkdirSync(src);
    mkdirSync(ro);
    copyFileSync(manifest, join(src, 'epinio.yaml'));
    mount(['--bind', src, ro], 'bind-mount the manifest directory');
    mounted.push(ro);
    mount(['-o', 'remount,ro,bind', ro], 'remount the bind mount read-only');
    const file = join(ro, 'epinio.yaml');
    const bytes = readFileSync(file);
    const store = await openStore({ file, namespace: 'epinio', requestTimeoutMs: 5000 });
    const caps = await store.capabilities();
    assert.equal(caps.writeDexConfig, false);
    assert.equal(caps.writeUsers, false);
    assert.ok(
      caps.reasons.some((r) => /not writable|read-only/.test(r)),
      caps.reasons.join('; '),
    );
    const base = await store.getDexConfig();
    const request: SaveDexConfigRequest = {
      base,
      changes: { rolesMapping: `${base.data.rolesMapping}# ro\n` },
    };
    const copy = structuredClone(request);
    // A file system condition, not RBAC: a file error (exit 1) that says what to do.
    const err = await expectTyped(store.saveDexConfig(request), 'FileError', 'save on a read-only mount');
    assert.equal(
      err.message,
      `cannot save: the file ${file} is on a read-only file system; nothing was written`,
    );
    assert.equal(err.hint, `remount it read-write, or work on a copy of ${file} elsewhere`);
    assert.deepEqual(readFileSync(file), bytes, 'the file changed');
    assert.deepEqual(request, copy);
    figures.unchangedAfterFault++;
    mount(['-o', 'remount,rw,bind', ro], 'remount the bind mount read-write');
    await store.saveDexConfig(request);
    assert.equal((await store.getDexConfig()).data.rolesMapping, request.changes.rolesMapping);
    figures.retriesOk++;
  });

  it('full filesystem: FileError, file unchanged, no temp file left, retry succeeds once there is space', async () => {
    figures.cases++;
    const dir = join(work, 'tmpfs');
    mkdirSync(dir);
    mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], 'mount a small tmpfs');
    mounted.push(dir);
    const file = join(dir, 'epinio.yaml');
    copyFileSync(manifest, file);
    const bytes = readFileSync(file);
    const store = await openStore({ file, namespace: 'epinio', requestTimeoutMs: 5000 });
    const base = await store.getDexConfig();
    // A new key large enough that it cannot fit in whatever the last page leaves.
    const request: SaveDexConfigRequest = {
      base,
      changes: { rolesMapping: `${base.data.rolesMapping}# full ${'x'.repeat(8000)}\n` },
    };
    const copy = structuredClone(request);
    const filler = fill(dir);
    await expectTyped(store.saveDexConfig(request), 'FileError', 'save on a full filesystem');
    assert.deepEqual(readFileSync(file), bytes, 'the file changed');
    assert.deepEqual(readdirSync(dir).sort(), ['epinio.yaml', 'filler'], 'a temp file was left behind');
    assert.deepEqual(request, copy);
    figures.unchangedAfterFault++;
    rmSync(filler);
    await store.saveDexConfig(request);
    assert.equal((await store.getDexConfig()).data.rolesMapping, request.changes.rolesMapping);
    figures.retriesOk++;
  });
});
