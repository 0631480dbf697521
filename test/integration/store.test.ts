// The cluster store against the real kube-apiserver (test/stack): reads, single-request writes with
// preconditions, conflicts with an independent writer, rebase, users, backups.
import { exitCodeOf } from '../../source/commands/exitCodes.js';
import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { openStore } from '../../source/store/connect.js';
import { ConflictError, StoreError } from '../../source/store/errors.js';
import type { Store } from '../../source/store/types.js';
import { DEX_CONFIG_YAML, adminClient, createTestNamespace, fixtureUsers, getStack } from '../stack/env.js';

let ns: string;
let store: Store;
let stateDir: string;
const admin = () => adminClient();
const secretPath = (name: string) => `/api/v1/namespaces/${ns}/secrets/${name}`;

async function rawDex(): Promise<{ resourceVersion: string; data: Record<string, string> }> {
  const res = await admin().get(secretPath('dex-config'));
  assert.equal(res.status, 200);
  return { resourceVersion: res.body.metadata.resourceVersion, data: res.body.data };
}

before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'eda-int-state-'));
  // Backups go to $XDG_STATE_HOME: a private directory per test file.
  process.env.XDG_STATE_HOME = stateDir;
  ns = await createTestNamespace('store', { fixtures: true });
  store = await openStore({
    kubeconfig: getStack().kubeconfigs.admin,
    namespace: ns,
    requestTimeoutMs: 10_000,
  });
});

after(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('cluster store (real API server)', () => {
  it('loads a snapshot: dex-config, users, roles, versions, Helm flags', async () => {
    const snap = await store.loadSnapshot();
    assert.equal(snap.location.backend, 'cluster');
    assert.equal(snap.location.namespace, ns);
    assert.equal(snap.location.cluster, getStack().server);
    assert.equal(snap.dexConfig.data['config.yaml'], DEX_CONFIG_YAML);
    assert.equal(snap.dexConfig.labels['app.kubernetes.io/managed-by'], 'Helm');
    assert.equal(snap.dexConfig.annotations['meta.helm.sh/release-name'], 'epinio');
    assert.deepEqual(
      snap.users.map((u) => u.data.username).sort(),
      fixtureUsers.map((u) => u.username).sort(),
    );
    const chartAdmin = snap.users.find((u) => u.data.username === 'admin')!;
    assert.equal(chartAdmin.type, 'BasicAuth');
    assert.equal(chartAdmin.labels['app.kubernetes.io/managed-by'], 'Helm');
    const jane = snap.users.find((u) => u.data.username === 'jane.doe@example.com')!;
    assert.equal('password' in jane.data, false);
    assert.equal(jane.labels['app.kubernetes.io/managed-by'], undefined);
    assert.equal(snap.roleConfigMaps.length, 6);
    assert.ok(snap.roleConfigMaps.every((c) => c.creationTimestamp));
    assert.equal(snap.epinioVersion, 'v1.14.1');
    assert.equal(snap.dexVersion, 'v2.45.1-epinio-pkce');
    // No controllers run, so there is no epinio-server pod: the start time is simply unknown.
    assert.equal(snap.epinioServerStartedAt, undefined);
  });

  it('saves config.yaml with one precondition write and a 0600 backup', async () => {
    const base = await store.getDexConfig();
    const next = DEX_CONFIG_YAML.replace('enablePasswordDB: true', 'enablePasswordDB: false');
    const r = await store.saveDexConfig({ base, changes: { 'config.yaml': next } });
    assert.equal(r.rebased, false);
    assert.notEqual(r.secret.resourceVersion, base.resourceVersion);
    assert.equal(r.secret.data['config.yaml'], next);
    assert.ok(r.backupId);
    const dir = join(stateDir, 'epinio-dex-admin', 'backups');
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const files = await readdir(dir);
    assert.ok(files.includes(`${r.backupId}.json`));
    assert.equal((await stat(join(dir, `${r.backupId}.json`))).mode & 0o777, 0o600);
  });

  it('saves rolesMapping only: every other key stays byte-identical', async () => {
    const before = await rawDex();
    const base = await store.getDexConfig();
    const mapping = '- connectorId: github\n  groups:\n  - id: "acme:devs"\n    roles: ["user"]\n';
    await store.saveDexConfig({ base, changes: { rolesMapping: mapping } });
    const after = await rawDex();
    for (const k of Object.keys(before.data)) {
      if (k !== 'rolesMapping') assert.equal(after.data[k], before.data[k], k);
    }
    assert.equal(Buffer.from(after.data.rolesMapping, 'base64').toString('utf8'), mapping);
  });

  it('a concurrent writer on other keys: rebased, nothing lost', async () => {
    const base = await store.getDexConfig();
    const res = await admin().patch(secretPath('dex-config'), {
      data: { issuer: Buffer.from('https://other.example.com').toString('base64') },
    });
    assert.equal(res.status, 200);
    const r = await store.saveDexConfig({ base, changes: { rolesMapping: '[]\n' } });
    assert.equal(r.rebased, true);
    assert.deepEqual(r.remoteChangedKeys, ['issuer']);
    const now = await store.getDexConfig();
    assert.equal(now.data.issuer, 'https://other.example.com');
    assert.equal(now.data.rolesMapping, '[]\n');
  });

  it('a concurrent writer on the same key: ConflictError with both versions, nothing written', async () => {
    const base = await store.getDexConfig();
    const theirs = 'issuer: https://theirs.example.com\n';
    await admin().patch(secretPath('dex-config'), {
      data: { 'config.yaml': Buffer.from(theirs).toString('base64') },
    });
    const before = await rawDex();
    await assert.rejects(
      store.saveDexConfig({ base, changes: { 'config.yaml': 'issuer: https://mine.example.com\n' } }),
      (err: unknown) => {
        assert.ok(err instanceof ConflictError);
        assert.equal(exitCodeOf(err), 5);
        assert.deepEqual(err.overlappingKeys, ['config.yaml']);
        assert.equal(err.base.data['config.yaml'], base.data['config.yaml']);
        assert.equal(err.remote.data['config.yaml'], theirs);
        return true;
      },
    );
    assert.deepEqual(await rawDex(), before);
  });

  it('sets a password (data.password only) that bcrypt verifies', async () => {
    const ops = (await store.listUsers()).find((u) => u.data.username === 'ops@example.com')!;
    const hash = await bcrypt.hash('new-Ops-password-1', 10);
    const updated = await store.setUserPassword(ops, hash);
    const raw = (await admin().get(secretPath(ops.name))).body;
    const stored = Buffer.from(raw.data.password, 'base64').toString('utf8');
    assert.equal(await bcrypt.compare('new-Ops-password-1', stored), true);
    assert.equal(updated.data.password, hash);
    assert.equal(Buffer.from(raw.data.username, 'base64').toString('utf8'), 'ops@example.com');
    assert.equal(raw.metadata.annotations['epinio.io/roles'], 'system_manager');
    // The old version is stale now: a write based on it is a conflict.
    await assert.rejects(store.setUserRoles(ops, 'admin'), ConflictError);
  });

  it('sets the roles annotation only', async () => {
    const epinio = (await store.listUsers()).find((u) => u.data.username === 'epinio')!;
    const r = await store.setUserRoles(epinio, 'admin:workspace,user');
    assert.equal(r.annotations['epinio.io/roles'], 'admin:workspace,user');
    assert.equal(r.annotations['meta.helm.sh/release-name'], 'epinio');
    assert.deepEqual(r.data, epinio.data);
  });

  it('creates a user with the server name formula, refuses a duplicate username, deletes with precondition', async () => {
    const hash = await bcrypt.hash('Created-pass-1', 10);
    const created = await store.createUser({
      username: 'new.user@example.com',
      passwordHash: hash,
      roles: ['user', 'admin:ws', 'user'],
      namespaces: ['ws'],
    });
    assert.equal(created.name, 'ruser-newuserexamplecom-' + created.name.split('-').pop());
    assert.equal(created.type, 'Opaque');
    assert.equal(created.labels['epinio.io/api-user-credentials'], 'true');
    assert.equal(created.annotations['epinio.io/roles'], 'admin:ws,user');
    assert.deepEqual(created.data, { username: 'new.user@example.com', password: hash, namespaces: 'ws' });
    await assert.rejects(
      store.createUser({ username: 'new.user@example.com', roles: [] }),
      (err: unknown) => {
        assert.ok(err instanceof StoreError);
        assert.equal(err.message, `user new.user@example.com already exists (Secret ${created.name})`);
        return true;
      },
    );
    await store.deleteUser(created);
    assert.equal((await admin().get(secretPath(created.name))).status, 404);
  });

  it('a conflict after an unrelated metadata change names that change, not the roles annotation', async () => {
    const u = await store.createUser({ username: 'labelled@example.com', roles: ['user'] });
    // Someone else labels the Secret: nothing our edit touches.
    const patched = await admin().patch(secretPath(u.name), { metadata: { labels: { team: 'blue' } } });
    assert.equal(patched.status, 200);
    await assert.rejects(store.setUserRoles(u, 'admin'), (err: unknown) => {
      assert.ok(err instanceof ConflictError);
      assert.deepEqual(err.overlappingKeys, ['label team']);
      assert.equal(
        err.message,
        `conflict: ${u.name} was changed by someone else since it was loaded (changed meanwhile: label team); nothing was written`,
      );
      return true;
    });
    const raw = (await admin().get(secretPath(u.name))).body;
    assert.equal(raw.metadata.annotations['epinio.io/roles'], 'user', 'nothing was written');
    assert.equal(raw.metadata.resourceVersion, patched.body.metadata.resourceVersion);
  });

  it('delete with a stale resourceVersion is a conflict and deletes nothing', async () => {
    const u = await store.createUser({ username: 'stale@example.com', roles: ['user'] });
    await admin().patch(secretPath(u.name), { metadata: { annotations: { 'epinio.io/roles': 'admin' } } });
    await assert.rejects(store.deleteUser(u), ConflictError);
    assert.equal((await admin().get(secretPath(u.name))).status, 200);
  });

  it('restores a backup over the current Secret with its own backup', async () => {
    const base = await store.getDexConfig();
    const saved = await store.saveDexConfig({
      base,
      changes: { rolesMapping: '- connectorId: x\n  groups: []\n' },
    });
    const restored = await store.restoreBackup(saved.backupId!);
    assert.equal(restored.secret.data.rolesMapping, base.data.rolesMapping);
    const list = await store.listBackups();
    assert.equal(list[0].id, restored.backupId);
    assert.ok(list.length >= 3);
  });
});
