// Proves the test stack is a real kube-apiserver with real RBAC and real optimistic concurrency,
// not a mock: the suites that trust it would otherwise test nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  adminClient,
  clientAs,
  createTestNamespace,
  DEX_CONFIG_YAML,
  fixtureUsers,
  getStack,
  getStackInfo,
  ROLES_MAPPING_YAML,
} from '../stack/env.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

describe('test stack', () => {
  let ns: string;
  before(async () => {
    ns = await createTestNamespace('stack', { fixtures: true });
  });
  after(async () => {
    await adminClient().delete(`/api/v1/namespaces/${ns}`);
  });

  test('describes itself through EDA_TEST_STACK', () => {
    const s = getStack();
    assert.match(s.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    for (const k of ['admin', 'viewer', 'usersOnly', 'none'] as const)
      assert.ok(s.kubeconfigs[k].endsWith('.yaml'));
  });

  test('/version answers with the built Kubernetes version', async () => {
    const res = await adminClient().get<{ gitVersion: string; major: string }>('/version');
    assert.equal(res.status, 200);
    assert.match(res.body.gitVersion, /^v1\.\d+\.\d+/);
    assert.equal(res.body.gitVersion, getStackInfo().kubernetesVersion);
  });

  test('TLS is verified: the CA from the cert dir is trusted, the system store is not', async () => {
    const { kubeClient } = await import('../stack/http.js');
    const info = getStackInfo();
    const systemCaOnly = kubeClient({ server: info.server, token: info.tokens.admin, user: 'admin' });
    await assert.rejects(systemCaOnly.get('/version'), /certificate/i);
  });

  test('RBAC denies nobody: 403 on GET secrets', async () => {
    const res = await clientAs('none').get(`/api/v1/namespaces/${ns}/secrets`);
    assert.equal(res.status, 403);
    assert.equal(res.body.reason, 'Forbidden');
    assert.match(res.body.message, /User "nobody" cannot list resource "secrets"/);
  });

  test('viewer reads but cannot write', async () => {
    const viewer = clientAs('viewer');
    assert.equal((await viewer.get(`/api/v1/namespaces/${ns}/secrets/dex-config`)).status, 200);
    const res = await viewer.patch(`/api/v1/namespaces/${ns}/secrets/dex-config`, {
      metadata: { labels: { x: 'y' } },
    });
    assert.equal(res.status, 403);
  });

  test('users-only may patch user Secrets but not dex-config, and may create Secrets', async () => {
    const u = clientAs('usersOnly');
    const user = fixtureUsers[2];
    // A label, so the fixture values other tests compare stay as created.
    const ok = await u.patch(`/api/v1/namespaces/${ns}/secrets/${user.secretName}`, {
      metadata: { labels: { 'eda-test': 'touched' } },
    });
    assert.equal(ok.status, 200);
    const denied = await u.patch(`/api/v1/namespaces/${ns}/secrets/dex-config`, {
      data: { rolesMapping: b64('[]') },
    });
    assert.equal(denied.status, 403);
    assert.match(denied.body.message, /secrets "dex-config" is forbidden: User "users-only" cannot patch/);
    const created = await u.post(`/api/v1/namespaces/${ns}/secrets`, {
      metadata: { name: 'made-by-users-only' },
      stringData: { a: 'b' },
    });
    assert.equal(created.status, 201);
  });

  test('fixtures: dex-config holds the documented keys, users carry label, annotation and hash', async () => {
    const admin = adminClient();
    const dex = (await admin.get(`/api/v1/namespaces/${ns}/secrets/dex-config`)).body;
    assert.deepEqual(Object.keys(dex.data).sort(), [
      'config.yaml',
      'endpoint',
      'issuer',
      'rolesMapping',
      'uiClientSecret',
    ]);
    assert.equal(unb64(dex.data['config.yaml']), DEX_CONFIG_YAML);
    assert.equal(unb64(dex.data.rolesMapping), ROLES_MAPPING_YAML);
    const users = (
      await admin.get(
        `/api/v1/namespaces/${ns}/secrets?labelSelector=epinio.io%2Fapi-user-credentials%3Dtrue`,
      )
    ).body.items;
    assert.equal(users.length, fixtureUsers.length);
    for (const f of fixtureUsers) {
      const s = users.find((x: { metadata: { name: string } }) => x.metadata.name === f.secretName);
      assert.ok(s, f.username);
      assert.equal(unb64(s.data.username), f.username);
      assert.equal(s.metadata.annotations['epinio.io/roles'], f.roles);
      assert.equal(s.data.password === undefined ? undefined : unb64(s.data.password), f.hash);
    }
    const roles = (
      await admin.get(`/api/v1/namespaces/${ns}/configmaps?labelSelector=epinio.io%2Frole%3Dtrue`)
    ).body.items;
    assert.ok(
      roles.some(
        (r: { data: { id: string; default?: string } }) => r.data.id === 'user' && r.data.default === 'true',
      ),
    );
    const deploy = (await admin.get(`/apis/apps/v1/namespaces/${ns}/deployments/dex`)).body;
    assert.equal(deploy.spec.template.spec.containers[0].image, 'ghcr.io/epinio/dex:v2.45.1-epinio-pkce');
  });

  test('admin creates and reads a Secret; a stale resourceVersion yields 409 Conflict', async () => {
    const admin = adminClient();
    const path = `/api/v1/namespaces/${ns}/secrets`;
    const created = await admin.post(path, { metadata: { name: 'rv-test' }, data: { k: b64('v1') } });
    assert.equal(created.status, 201);
    const read = await admin.get(`${path}/rv-test`);
    assert.equal(read.status, 200);
    assert.equal(unb64(read.body.data.k), 'v1');
    const rv = read.body.metadata.resourceVersion as string;

    // Someone else writes first...
    const other = await admin.put(`${path}/rv-test`, { ...read.body, data: { k: b64('v2') } });
    assert.equal(other.status, 200);
    assert.notEqual(other.body.metadata.resourceVersion, rv);

    // ...so a write with the old resourceVersion is refused, both by PUT and by a patch precondition.
    const stalePut = await admin.put(`${path}/rv-test`, { ...read.body, data: { k: b64('mine') } });
    assert.equal(stalePut.status, 409);
    assert.equal(stalePut.body.reason, 'Conflict');
    const stalePatch = await admin.patch(`${path}/rv-test`, {
      metadata: { resourceVersion: rv },
      data: { k: b64('mine') },
    });
    assert.equal(stalePatch.status, 409);
    assert.equal(unb64((await admin.get(`${path}/rv-test`)).body.data.k), 'v2');
  });

  test('the API server validates objects (422 for an invalid name)', async () => {
    const res = await adminClient().post(`/api/v1/namespaces/${ns}/secrets`, {
      metadata: { name: 'Not_Valid' },
      data: {},
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
  });

  test('kubectl (when built) talks to the stack with the generated kubeconfigs', (t) => {
    const kubectl = getStackInfo().kubectl;
    if (!kubectl) return t.skip('kubectl was not built into the stack cache');
    const s = getStack();
    const ok = spawnSync(
      kubectl,
      ['--kubeconfig', s.kubeconfigs.viewer, '-n', ns, 'get', 'secret', 'dex-config', '-o', 'name'],
      { encoding: 'utf8' },
    );
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), 'secret/dex-config');
    const canI = spawnSync(
      kubectl,
      ['--kubeconfig', s.kubeconfigs.none, '-n', ns, 'auth', 'can-i', 'get', 'secrets'],
      { encoding: 'utf8' },
    );
    assert.equal(canI.stdout.trim(), 'no');
  });
});
