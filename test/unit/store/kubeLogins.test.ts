// The cluster store's logins reader against a loopback stand-in for the API server (named so: the
// real kube-apiserver is in test/integration/logins.test.ts). The stand-in is for what the test
// API server cannot show in a shared run: custom resources that are absent (Dex creates them
// cluster-wide once, for every later test), a page that fails mid-list, an expired continue token.
import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { enableDebugLog } from '../../../source/debug.js';
import { LoginsUnavailableError } from '../../../source/store/dexStorage.js';
import { ForbiddenError, StoreError } from '../../../source/store/errors.js';
import { createKubeStore } from '../../../source/store/kube/kubeStore.js';

let dir: string;
const servers: net.Server[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eda-kubelogins-'));
});
after(async () => {
  for (const s of servers) s.close();
  await rm(dir, { recursive: true, force: true });
});

const CANARY = 'KUBE-CANARY-5d1c';
const b64 = (s: string) => Buffer.from(s).toString('base64');

function token(i: number) {
  return {
    apiVersion: 'dex.coreos.com/v1',
    kind: 'RefreshToken',
    metadata: { name: `rt${i}`, namespace: 'epinio' },
    CreatedAt: '2026-01-01T00:00:00Z',
    LastUsed: `2026-01-02T00:00:${String(i % 60).padStart(2, '0')}Z`,
    clientID: 'epinio-cli',
    token: `${CANARY}-token-${i}`,
    obsoleteToken: `${CANARY}-old-${i}`,
    nonce: `${CANARY}-nonce-${i}`,
    connectorData: b64(`${CANARY}-data-${i}`),
    claims: {
      userID: `u${i}`,
      username: `user${i}`,
      email: `user${i}@x.io`,
      emailVerified: true,
      groups: ['g'],
    },
    connectorID: 'ldap',
  };
}

type Handler = (url: URL) => { status: number; body: unknown };

/** The stand-in: dex-config (storage type `storage`) and what `dex` answers for the Dex resources. */
async function standIn(
  storage: string | null,
  dex: Handler,
): Promise<{ kubeconfig: string; paths: string[] }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    const url = new URL(req.url!, 'http://x');
    paths.push(url.pathname + url.search);
    let out: { status: number; body: unknown };
    if (url.pathname.endsWith('/secrets/dex-config')) {
      out =
        storage === null
          ? { status: 403, body: { kind: 'Status', message: 'forbidden' } }
          : {
              status: 200,
              body: {
                metadata: { name: 'dex-config', namespace: 'epinio', resourceVersion: '1' },
                data: { 'config.yaml': b64(`issuer: https://x\nstorage:\n  type: ${storage}\n`) },
              },
            };
    } else out = dex(url);
    res.writeHead(out.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out.body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const kubeconfig = join(dir, `kc-${port}.yaml`);
  await writeFile(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "http://127.0.0.1:${port}" } }]
users: [{ name: u, user: { token: fake } }]
contexts: [{ name: t, context: { cluster: c, user: u } }]
current-context: t
`,
  );
  return { kubeconfig, paths };
}

const open = (kubeconfig: string) =>
  createKubeStore({ kubeconfig, namespace: 'epinio', requestTimeoutMs: 5000 });

/** Serves `items` in pages of the request's limit, continue = the next offset. */
function pages(
  items: unknown[],
  fail?: (page: number) => { status: number; body: unknown } | undefined,
): Handler {
  return (url) => {
    if (url.pathname.endsWith('/offlinesessionses'))
      return { status: 200, body: { items: [], metadata: {} } };
    const limit = Number(url.searchParams.get('limit'));
    const from = Number(url.searchParams.get('continue') ?? 0);
    const failure = fail?.(from / limit + 1);
    if (failure) return failure;
    const next = from + limit < items.length ? String(from + limit) : undefined;
    return { status: 200, body: { items: items.slice(from, from + limit), metadata: { continue: next } } };
  };
}

describe('logins from a cluster (stand-in API server)', () => {
  it('one request per page of 500; every identity; no secret in the rows or the debug log', async () => {
    const log = join(dir, 'debug.log');
    enableDebugLog(log);
    const items = Array.from({ length: 1234 }, (_, i) => token(i));
    const { kubeconfig, paths } = await standIn('kubernetes', pages(items));
    const rows = await (await open(kubeconfig)).listLogins();
    assert.equal(rows.length, 1234);
    assert.ok(!JSON.stringify(rows).includes(CANARY));
    const lists = paths.filter((p) => p.includes('/refreshtokens'));
    assert.deepEqual(lists, [
      '/apis/dex.coreos.com/v1/namespaces/epinio/refreshtokens?limit=500',
      '/apis/dex.coreos.com/v1/namespaces/epinio/refreshtokens?limit=500&continue=500',
      '/apis/dex.coreos.com/v1/namespaces/epinio/refreshtokens?limit=500&continue=1000',
    ]);
    assert.ok(paths.includes('/apis/dex.coreos.com/v1/namespaces/epinio/offlinesessionses?limit=500'));
    const text = await readFile(log, 'utf8');
    assert.match(
      text,
      /GET \/apis\/dex\.coreos\.com\/v1\/namespaces\/epinio\/refreshtokens\?limit=500 -> 200/,
    );
    assert.ok(!text.includes(CANARY) && !text.includes(b64(CANARY).slice(0, 12)));
  });

  it('a failure on page 3 fails the whole list: an error, never two pages', async () => {
    const items = Array.from({ length: 1300 }, (_, i) => token(i));
    const { kubeconfig } = await standIn(
      'kubernetes',
      pages(items, (p) =>
        p === 3 ? { status: 500, body: { kind: 'Status', message: 'etcd leader changed' } } : undefined,
      ),
    );
    await assert.rejects((await open(kubeconfig)).listLogins(), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'ServerError');
      assert.match(
        err.message,
        /answered 500 to list refreshtokens\.dex\.coreos\.com: etcd leader changed \(page 3 of list refreshtokens\.dex\.coreos\.com; no logins are shown\)$/,
      );
      return true;
    });
  });

  it('an expired continue token (410) starts the list over: consistent, not duplicated', async () => {
    const items = Array.from({ length: 700 }, (_, i) => token(i));
    let expired = false;
    const { kubeconfig } = await standIn(
      'kubernetes',
      pages(items, (p) => {
        if (p === 2 && !expired) {
          expired = true;
          return { status: 410, body: { kind: 'Status', reason: 'Expired' } };
        }
        return undefined;
      }),
    );
    const rows = await (await open(kubeconfig)).listLogins();
    assert.equal(rows.length, 700);
    assert.equal(new Set(rows.map((r) => r.userId)).size, 700);
  });

  it('404 on the resource: no Dex Kubernetes storage in this cluster', async () => {
    const { kubeconfig } = await standIn('kubernetes', () => ({
      status: 404,
      body: { kind: 'Status', message: 'the server could not find the requested resource' },
    }));
    await assert.rejects((await open(kubeconfig)).listLogins(), (err: unknown) => {
      assert.ok(err instanceof LoginsUnavailableError);
      assert.equal(err.reason, 'no-crds');
      assert.equal(
        err.message,
        'no Dex Kubernetes storage in this cluster: the API server has no refreshtokens.dex.coreos.com (group dex.coreos.com, version v1), although config.yaml says storage type "kubernetes": Dex has not started with it yet, or it runs in another cluster',
      );
      return true;
    });
  });

  it('another storage type in config.yaml is named before any Dex resource is asked for', async () => {
    const { kubeconfig, paths } = await standIn('postgres', () => {
      throw new Error('must not be asked');
    });
    await assert.rejects(
      (await open(kubeconfig)).listLogins(),
      /says storage type "postgres": Dex keeps its logins in a PostgreSQL database/,
    );
    assert.ok(!paths.some((p) => p.includes('dex.coreos.com')));
  });

  it('403 names verb and resource and gives the Role rule; dex-config unreadable is not fatal', async () => {
    const { kubeconfig } = await standIn(null, () => ({
      status: 403,
      body: {
        kind: 'Status',
        message: 'refreshtokens.dex.coreos.com is forbidden: User "viewer" cannot list resource',
      },
    }));
    await assert.rejects((await open(kubeconfig)).listLogins(), (err: unknown) => {
      assert.ok(err instanceof ForbiddenError);
      assert.equal(
        err.message,
        'forbidden: cannot list refreshtokens.dex.coreos.com in namespace "epinio": refreshtokens.dex.coreos.com is forbidden: User "viewer" cannot list resource',
      );
      assert.equal(
        err.hint,
        'check your rights with: kubectl auth can-i list refreshtokens.dex.coreos.com -n epinio; a Role rule that allows it: {apiGroups: [dex.coreos.com], resources: [refreshtokens, offlinesessionses], verbs: [get, list]}',
      );
      return true;
    });
  });

  it('a 200 that is not a list is an error, and its text is never kept', async () => {
    const { kubeconfig } = await standIn('kubernetes', () => ({ status: 200, body: `token: ${CANARY}` }));
    await assert.rejects((await open(kubeconfig)).listLogins(), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(
        err.message,
        "the API server's answer to list refreshtokens.dex.coreos.com (page 1) is not a list; no logins are shown",
      );
      return true;
    });
  });
});
