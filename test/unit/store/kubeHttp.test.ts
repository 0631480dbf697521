// The cluster store's HTTP edge against local fake servers: deadlines that really abort, and the
// mapping of statuses and network failures to typed errors. (The real API server is in integration.)
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ForbiddenError, InvalidError, NotFoundError, StoreError } from '../../../source/store/errors.js';
import { createKubeStore } from '../../../source/store/kube/kubeStore.js';

let dir: string;
const servers: net.Server[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eda-kubehttp-'));
});
after(async () => {
  for (const s of servers) s.close();
  await rm(dir, { recursive: true, force: true });
});

async function kubeconfigFor(server: string, insecure: boolean): Promise<string> {
  const path = join(dir, `kc-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: c',
      '  cluster:',
      `    server: ${server}`,
      ...(insecure ? ['    insecure-skip-tls-verify: true'] : []),
      'users:',
      '- name: u',
      '  user:',
      '    token: fake',
      'contexts:',
      '- name: test',
      '  context: { cluster: c, user: u }',
      'current-context: test',
      '',
    ].join('\n'),
  );
  return path;
}

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as net.AddressInfo).port;
}

/** A fake API server answering every request with `status` and a Kubernetes Status body. */
async function fakeStatus(status: number, body: unknown, insecure = true): Promise<string> {
  const port = await listen(
    http.createServer((req, res) => {
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }),
  );
  return kubeconfigFor(`http://127.0.0.1:${port}`, insecure);
}

describe('cluster store HTTP edge', () => {
  it('a closed port is Unreachable naming the server', async () => {
    const probe = net.createServer();
    const port = await listen(probe);
    probe.close();
    servers.pop();
    const store = await createKubeStore({
      kubeconfig: await kubeconfigFor(`https://127.0.0.1:${port}`, false),
      namespace: 'epinio',
      requestTimeoutMs: 5000,
    });
    await assert.rejects(store.getDexConfig(), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'Unreachable');
      assert.ok(
        err.message.startsWith(`cannot reach the API server at https://127.0.0.1:${port}: ECONNREFUSED`),
        err.message,
      );
      return true;
    });
  });

  it('a socket that never answers is a Timeout after the request timeout, not a hang', async () => {
    const sockets: net.Socket[] = [];
    const port = await listen(net.createServer((s) => sockets.push(s)));
    const store = await createKubeStore({
      kubeconfig: await kubeconfigFor(`https://127.0.0.1:${port}`, false),
      namespace: 'epinio',
      requestTimeoutMs: 300,
    });
    await assert.rejects(store.loadSnapshot(), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'Timeout');
      assert.equal(err.message, `no answer from https://127.0.0.1:${port} within 0.3s (--request-timeout)`);
      return true;
    });
    for (const s of sockets) s.destroy();
  });

  it('403 is a ForbiddenError naming verb, resource and the can-i line', async () => {
    const kc = await fakeStatus(403, {
      kind: 'Status',
      message: 'secrets "dex-config" is forbidden: User "viewer" cannot get resource',
    });
    const store = await createKubeStore({ kubeconfig: kc, namespace: 'epinio', requestTimeoutMs: 2000 });
    await assert.rejects(store.getDexConfig(), (err: unknown) => {
      assert.ok(err instanceof ForbiddenError);
      assert.equal(err.verb, 'get');
      assert.equal(err.resource, 'secrets');
      assert.equal(err.hint, 'check your rights with: kubectl auth can-i get secrets/dex-config -n epinio');
      return true;
    });
  });

  it('404 on dex-config explains the namespace / no-Dex cause', async () => {
    const store = await createKubeStore({
      kubeconfig: await fakeStatus(404, { kind: 'Status', reason: 'NotFound' }),
      namespace: 'other',
      requestTimeoutMs: 2000,
    });
    await assert.rejects(store.loadSnapshot(), (err: unknown) => {
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.message, 'secrets "dex-config" not found in namespace "other"');
      assert.match(err.hint ?? '', /^wrong namespace \(-n\) or Epinio was installed without Dex/);
      return true;
    });
  });

  it('401 asks to refresh the login; 422 carries the causes; 500 is ServerError', async () => {
    const s401 = await createKubeStore({
      kubeconfig: await fakeStatus(401, { kind: 'Status' }),
      namespace: 'epinio',
      requestTimeoutMs: 2000,
    });
    await assert.rejects(s401.listUsers(), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'Unauthorized');
      assert.equal(err.hint, 'credentials expired or invalid: refresh your kubeconfig login');
      return true;
    });
    const s422 = await createKubeStore({
      kubeconfig: await fakeStatus(422, {
        kind: 'Status',
        message: 'Secret "x" is invalid',
        details: { causes: [{ field: 'metadata.name', message: 'a lowercase RFC 1123 subdomain' }] },
      }),
      namespace: 'epinio',
      requestTimeoutMs: 2000,
    });
    const user = {
      name: 'x',
      namespace: 'epinio',
      resourceVersion: '1',
      type: 'Opaque',
      labels: {},
      annotations: {},
      data: {},
    };
    await assert.rejects(s422.setUserRoles(user, 'admin'), (err: unknown) => {
      assert.ok(err instanceof InvalidError);
      assert.equal(
        err.message,
        'the API server rejected the object: Secret "x" is invalid (metadata.name: a lowercase RFC 1123 subdomain)',
      );
      return true;
    });
    const s500 = await createKubeStore({
      kubeconfig: await fakeStatus(500, { kind: 'Status', message: 'etcd unavailable' }),
      namespace: 'epinio',
      requestTimeoutMs: 2000,
    });
    await assert.rejects(s500.listRoleConfigMaps(), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'ServerError');
      assert.match(err.message, /answered 500 to list configmaps: etcd unavailable$/);
      return true;
    });
  });

  it('a plain-http server (kubectl proxy) works without insecure-skip-tls-verify', async () => {
    const store = await createKubeStore({
      kubeconfig: await fakeStatus(404, { kind: 'Status' }, false),
      namespace: 'epinio',
      requestTimeoutMs: 2000,
    });
    await assert.rejects(store.getDexConfig(), NotFoundError);
  });

  it('--read-only refuses writes before any request and reports no capabilities', async () => {
    const store = await createKubeStore({
      kubeconfig: await fakeStatus(500, {}),
      namespace: 'epinio',
      requestTimeoutMs: 2000,
      readOnly: true,
    });
    const caps = await store.capabilities();
    assert.deepEqual(caps, {
      writeDexConfig: false,
      writeUsers: false,
      restartDex: false,
      reasons: ['read-only mode (--read-only)'],
    });
    await assert.rejects(store.restartDex({ wait: false, timeoutMs: 1000 }), {
      message: 'read-only: started with --read-only; nothing was written',
    });
  });
});
