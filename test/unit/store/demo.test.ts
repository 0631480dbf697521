import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { createDemoStore } from '../../../source/store/demo/demo.js';
import { demoManifest } from '../../../source/store/demo/manifest.js';

let backups: string;
const made: string[] = [];
before(async () => {
  backups = await mkdtemp(join(tmpdir(), 'eda-demo-backups-'));
});
after(async () => {
  await rm(backups, { recursive: true, force: true });
  for (const d of made) await rm(d, { recursive: true, force: true });
});

describe('demo sandbox', () => {
  it('is a private 0600 copy that the location names, backend demo', async () => {
    const store = await createDemoStore({ backupDir: backups });
    made.push(dirname(store.location.file!));
    assert.equal(store.location.backend, 'demo');
    assert.equal(store.location.namespace, 'epinio');
    assert.equal((await stat(store.location.file!)).mode & 0o777, 0o600);
    assert.equal((await stat(dirname(store.location.file!))).mode & 0o777, 0o700);
    assert.equal(await readFile(store.location.file!, 'utf8'), demoManifest());
  });

  it('holds the realistic content and its pitfalls', async () => {
    const store = await createDemoStore({ backupDir: backups });
    made.push(dirname(store.location.file!));
    const snap = await store.loadSnapshot();
    const config = snap.dexConfig.data['config.yaml'];
    for (const t of ['type: github', 'type: ldap', 'type: oidc', 'enablePasswordDB: true', 'staticClients:'])
      assert.ok(config.includes(t), t);
    assert.match(snap.dexConfig.data.rolesMapping, /^# Who gets which Epinio role/);
    assert.ok(snap.users.length >= 38 && snap.users.length <= 45, `users: ${snap.users.length}`);
    const byName = (u: string) => snap.users.filter((s) => s.data.username === u);
    assert.equal(byName('dup@example.com').length, 2);
    assert.equal('password' in byName('jane.doe@example.com')[0].data, false);
    assert.equal(byName('spacey@example.com')[0].annotations['epinio.io/roles'], 'admin, user');
    assert.equal(byName('admin')[0].labels['app.kubernetes.io/managed-by'], 'Helm');
    assert.deepEqual(
      snap.roleConfigMaps.map((c) => c.data.id),
      ['user', 'blank', 'application_manager', 'application_developer', 'view_only', 'system_manager'],
    );
    assert.equal(snap.roleConfigMaps[0].data.default, 'true');
  });

  it('precomputed hashes are real bcrypt hashes of the documented passwords', async () => {
    const store = await createDemoStore({ backupDir: backups });
    made.push(dirname(store.location.file!));
    const users = await store.listUsers();
    const alice = users.find((u) => u.data.username === 'alice@example.com')!;
    assert.equal(await bcrypt.compare('demo-password-0', alice.data.password), true);
    const admin = users.find((u) => u.data.username === 'admin')!;
    assert.equal(await bcrypt.compare('password', admin.data.password), true);
  });

  it('saves into the copy', async () => {
    const store = await createDemoStore({ backupDir: backups });
    made.push(dirname(store.location.file!));
    const base = await store.getDexConfig();
    const r = await store.saveDexConfig({ base, changes: { rolesMapping: '[]\n' } });
    assert.equal(r.secret.data.rolesMapping, '[]\n');
    assert.equal((await store.getDexConfig()).data['config.yaml'], base.data['config.yaml']);
  });
});
