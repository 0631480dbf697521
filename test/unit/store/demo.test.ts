import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { createDemoStore } from '../../../source/store/demo/demo.js';
import { demoManifest } from '../../../source/store/demo/manifest.js';
import { ROOT, spawnCli } from '../cli/harness.js';

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

  describe('the temp copy is removed on every exit path', () => {
    const sandbox = () => {
      const tmp = mkdtempSync(join(tmpdir(), 'eda-demo-tmp-'));
      made.push(tmp);
      return { tmp, env: { TMPDIR: tmp, XDG_STATE_HOME: join(tmp, 'state') } };
    };
    const copies = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith('epinio-dex-admin-demo-'));

    it('a scripted command that succeeds, and one that fails', () => {
      const { tmp, env } = sandbox();
      const ok = spawnCli(['connectors', 'list', '--demo'], { env });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /^ID {2,}TYPE/);
      const failed = spawnCli(['users', 'set-password', 'nobody@example.com', '--password-stdin', '--demo'], {
        env,
        input: 'a long enough password\n',
      });
      assert.equal(failed.code, 4, failed.stderr);
      assert.deepEqual(copies(tmp), []);
    });

    it('SIGTERM while the command waits: the copy goes, and the process still dies of the signal', async () => {
      const { tmp, env } = sandbox();
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'test/unit/cli/entry.ts'),
          'users',
          'set-password',
          'ops@example.com',
          '--password-stdin',
          '--demo',
        ],
        { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'ignore'] },
      );
      const start = Date.now();
      while (copies(tmp).length === 0) {
        assert.ok(Date.now() - start < 30_000, 'the demo copy never appeared');
        await new Promise((r) => setTimeout(r, 20));
      }
      const exited = new Promise<NodeJS.Signals | null>((r) =>
        child.on('exit', (_code, signal) => r(signal)),
      );
      child.kill('SIGTERM');
      assert.equal(await exited, 'SIGTERM');
      assert.deepEqual(copies(tmp), []);
    });
  });
});
