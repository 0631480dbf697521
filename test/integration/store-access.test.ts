// The cluster store against the real kube-apiserver: RBAC, missing objects, pagination, Dex restart
// with a simulated rollout, unreachable servers.
import { exitCodeOf } from '../../source/commands/exitCodes.js';
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../source/store/connect.js';
import { ForbiddenError, NotFoundError, StoreError } from '../../source/store/errors.js';
import type { KubeStore } from '../../source/store/kube/kubeStore.js';
import type { RolloutProgress } from '../../source/store/types.js';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';

let ns: string;
let stateDir: string;

before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'eda-int-access-'));
  process.env.XDG_STATE_HOME = stateDir;
  ns = await createTestNamespace('store-access', { fixtures: true });
});
after(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const open = (identity: 'admin' | 'viewer' | 'usersOnly', namespace = ns) =>
  openStore({ kubeconfig: getStack().kubeconfigs[identity], namespace, requestTimeoutMs: 10_000 });

describe('cluster store access and failures (real API server)', () => {
  it('a viewer can load but not write: ForbiddenError naming verb and resource; capabilities read-only', async () => {
    const viewer = await open('viewer');
    const snap = await viewer.loadSnapshot();
    await assert.rejects(
      viewer.saveDexConfig({ base: snap.dexConfig, changes: { rolesMapping: '[]\n' } }),
      (err: unknown) => {
        assert.ok(err instanceof ForbiddenError);
        assert.equal(err.verb, 'patch');
        assert.equal(err.resource, 'secrets');
        assert.equal(err.resourceName, 'dex-config');
        assert.equal(exitCodeOf(err), 3);
        assert.equal(
          err.hint,
          `check your rights with: kubectl auth can-i patch secrets/dex-config -n ${ns}`,
        );
        assert.ok(
          err.message.startsWith(`forbidden: cannot patch secrets "dex-config" in namespace "${ns}": `),
          err.message,
        );
        return true;
      },
    );
    const caps = await viewer.capabilities();
    assert.equal(caps.writeDexConfig, false);
    assert.equal(caps.writeUsers, false);
    assert.equal(caps.restartDex, false);
    assert.ok(
      caps.reasons.includes(`cannot patch secrets "dex-config" in namespace "${ns}"`),
      caps.reasons.join('; '),
    );
    assert.ok(
      caps.reasons.includes(`cannot patch deployments "dex" in namespace "${ns}"`),
      caps.reasons.join('; '),
    );
  });

  it('admin capabilities are all granted', async () => {
    const caps = await (await open('admin')).capabilities();
    assert.deepEqual(caps, { writeDexConfig: true, writeUsers: true, restartDex: true, reasons: [] });
  });

  it('a namespace without dex-config: NotFoundError explaining -n / no Dex', async () => {
    const empty = await createTestNamespace('store-empty');
    const store = await open('admin', empty);
    await assert.rejects(store.loadSnapshot(), (err: unknown) => {
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.message, `secrets "dex-config" not found in namespace "${empty}"`);
      assert.match(err.hint ?? '', /^wrong namespace \(-n\) or Epinio was installed without Dex/);
      assert.equal(exitCodeOf(err), 4);
      return true;
    });
  });

  it('lists 1,200 users across pages', async () => {
    const big = await createTestNamespace('store-page');
    const client = adminClient();
    const total = 1200;
    for (let start = 0; start < total; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, total - start) }, (_, j) => {
          const i = start + j;
          return client
            .post(`/api/v1/namespaces/${big}/secrets`, {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: {
                name: `u-${i}`,
                labels: { 'epinio.io/api-user-credentials': 'true' },
                annotations: { 'epinio.io/roles': 'user' },
              },
              stringData: { username: `user${i}@example.com` },
            })
            .then((r) => assert.equal(r.status, 201, `create u-${i}: ${r.status}`));
        }),
      );
    }
    const users = await (await open('admin', big)).listUsers();
    assert.equal(users.length, total);
    assert.equal(new Set(users.map((u) => u.data.username)).size, total);
  });

  it('restarts Dex: writes restartedAt, follows a simulated rollout to ready', async () => {
    const store = (await open('admin')) as KubeStore;
    store.pollMs = 100;
    const client = adminClient();
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/dex`;
    const seen: RolloutProgress[] = [];
    // No controllers run: play the Deployment controller once the restart is observed.
    let simulated = false;
    const result = await store.restartDex({
      wait: true,
      timeoutMs: 20_000,
      onProgress: (p) => {
        seen.push(p);
        if (!simulated && p.phase === 'restarting') {
          simulated = true;
          void (async () => {
            const d = (await client.get(path)).body;
            const res = await client.patch(`${path}/status`, {
              status: {
                observedGeneration: d.metadata.generation,
                replicas: 1,
                updatedReplicas: 1,
                readyReplicas: 1,
                availableReplicas: 1,
              },
            });
            assert.equal(res.status, 200);
          })();
        }
      },
    });
    assert.equal(result.phase, 'ready');
    assert.equal(seen[0].phase, 'restarting');
    const d = (await client.get(path)).body;
    const at = d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
    assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('a rollout that never completes ends in timeout', async () => {
    const store = (await open('admin')) as KubeStore;
    store.pollMs = 100;
    const r = await store.restartDex({ wait: true, timeoutMs: 600 });
    assert.equal(r.phase, 'timeout');
    assert.match(r.message, /^Dex rollout not finished after 1s: /);
  });

  it('an unreachable server (closed port, or a socket that never answers) fails within the timeout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'eda-unreach-'));
    try {
      const probe = net.createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
      const closedPort = (probe.address() as net.AddressInfo).port;
      await new Promise((r) => probe.close(r));
      const sockets: net.Socket[] = [];
      const silent = net.createServer((s) => sockets.push(s));
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      const silentPort = (silent.address() as net.AddressInfo).port;
      const kc = async (port: number) => {
        const p = join(dir, `kc-${port}.yaml`);
        await writeFile(
          p,
          `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:${port}\nusers:\n- name: u\n  user:\n    token: x\ncontexts:\n- name: t\n  context: { cluster: c, user: u }\ncurrent-context: t\n`,
        );
        return p;
      };
      const closed = await openStore({
        kubeconfig: await kc(closedPort),
        namespace: 'epinio',
        requestTimeoutMs: 2000,
      });
      await assert.rejects(
        closed.loadSnapshot(),
        (err: unknown) => err instanceof StoreError && err.kind === 'Unreachable',
      );
      const hang = await openStore({
        kubeconfig: await kc(silentPort),
        namespace: 'epinio',
        requestTimeoutMs: 500,
      });
      await assert.rejects(hang.loadSnapshot(), (err: unknown) => {
        assert.ok(err instanceof StoreError);
        assert.equal(err.kind, 'Timeout');
        assert.equal(
          err.message,
          `no answer from https://127.0.0.1:${silentPort} within 0.5s (--request-timeout)`,
        );
        return true;
      });
      for (const s of sockets) s.destroy();
      silent.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
