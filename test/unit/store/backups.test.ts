import { strict as assert } from 'node:assert';
import {
  chmod,
  chown,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Backups, KEEP, backupDir } from '../../../source/store/backups.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import type { SecretObject } from '../../../source/store/types.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eda-backups-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const secret = (v: string): SecretObject => ({
  name: 'dex-config',
  namespace: 'epinio',
  resourceVersion: '7',
  type: 'Opaque',
  labels: {},
  annotations: {},
  data: { 'config.yaml': `issuer: ${v}`, uiClientSecret: 'VERY-SECRET-VALUE' },
});

describe('backups', () => {
  it('lives under XDG_STATE_HOME, else ~/.local/state', () => {
    assert.equal(backupDir({ XDG_STATE_HOME: '/s' }), '/s/epinio-dex-admin/backups');
    assert.equal(backupDir({ HOME: '/h' }), '/h/.local/state/epinio-dex-admin/backups');
  });

  it('writes 0600 files in a 0700 directory, named without secret values', async () => {
    const b = new Backups('https://k:6443 ctx epinio', 'context ctx, namespace epinio', join(dir, 'a'));
    const info = await b.write(secret('one'));
    assert.equal((await stat(join(dir, 'a'))).mode & 0o777, 0o700);
    const [file] = await readdir(join(dir, 'a'));
    assert.equal(file, `${info.id}.json`);
    assert.doesNotMatch(file, /SECRET|issuer/);
    assert.equal((await stat(join(dir, 'a', file))).mode & 0o777, 0o600);
    assert.deepEqual(info.keys, ['config.yaml', 'uiClientSecret']);
    const content = JSON.parse(await readFile(join(dir, 'a', file), 'utf8'));
    assert.equal(content.data.uiClientSecret, 'VERY-SECRET-VALUE');
  });

  it(`keeps only the newest ${KEEP} per target, newest first, and other targets apart`, async () => {
    const b = new Backups('target-1', 't1', join(dir, 'b'));
    const other = new Backups('target-2', 't2', join(dir, 'b'));
    await other.write(secret('other'));
    const t0 = Date.parse('2025-01-01T00:00:00Z');
    for (let i = 0; i < KEEP + 5; i++) await b.write(secret(`v${i}`), new Date(t0 + i * 1000));
    const list = await b.list();
    assert.equal(list.length, KEEP);
    assert.equal(list[0].takenAt, new Date(t0 + (KEEP + 4) * 1000).toISOString());
    assert.equal((await b.read(list[0].id)).data['config.yaml'], `issuer: v${KEEP + 4}`);
    assert.equal((await other.list()).length, 1);
  });

  it('refuses ids of another target or with path characters', async () => {
    const b = new Backups('target-1', 't1', join(dir, 'b'));
    const [theirs] = await new Backups('target-2', 't2', join(dir, 'b')).list();
    await assert.rejects(b.read(theirs.id), { message: `backup "${theirs.id}" not found for t1` });
    await assert.rejects(b.read('../../etc/passwd'), {
      message: 'backup "../../etc/passwd" not found for t1',
    });
  });

  it('restore writes the backed-up keys over the current Secret (with its own backup)', async () => {
    const path = join(dir, 'restore.yaml');
    await copyFile(join(import.meta.dirname, '../../fixtures/manifests/list.yaml'), path);
    const store = await createFileStore(path, { backupDir: join(dir, 'c') });
    const original = await store.getDexConfig();
    const first = await store.saveDexConfig({
      base: original,
      changes: { issuer: 'https://changed.example.com', extra: 'x' },
    });
    assert.ok(first.backupId);
    const restored = await store.restoreBackup(first.backupId!);
    assert.equal(restored.secret.data.issuer, original.data.issuer);
    // Keys the backup did not have are left alone.
    assert.equal(restored.secret.data.extra, 'x');
    const list = await store.listBackups();
    assert.equal(list.length, 2);
    assert.equal(list[0].id, restored.backupId);
  });

  it('refuses a backups directory that is a symbolic link, and writes nothing through it', async () => {
    const real = join(dir, 'elsewhere');
    await mkdir(real, { mode: 0o700 });
    const link = join(dir, 'linked');
    await symlink(real, link);
    const b = new Backups('target-l', 'tl', link);
    const message = `the backups directory ${link} is a symbolic link; backups are never read or written through one`;
    await assert.rejects(b.write(secret('x')), { message });
    await assert.rejects(b.list(), { message });
    assert.deepEqual(await readdir(real), []);
  });

  it('refuses a group- or world-writable directory and a planted backup file', async () => {
    const shared = join(dir, 'shared');
    await mkdir(shared, { mode: 0o700 });
    await chmod(shared, 0o777);
    const b = new Backups('target-s', 'ts', shared);
    const message = `the backups directory ${shared} is writable by group or others (mode 0777); backups there are neither read nor written`;
    await assert.rejects(b.write(secret('x')), { message });
    await assert.rejects(b.list(), { message });
    assert.deepEqual(await readdir(shared), []);

    const own = join(dir, 'own');
    const mine = new Backups('target-o', 'to', own);
    const info = await mine.write(secret('one'));
    const file = join(own, `${info.id}.json`);
    await chmod(file, 0o666);
    await assert.rejects(mine.list(), {
      message: `the backup ${file} is writable by group or others (mode 0666); backups there are neither read nor written`,
    });
    await chmod(file, 0o600);
    const target = join(dir, 'planted.json');
    await writeFile(target, await readFile(file));
    await rm(file);
    await symlink(target, file);
    await assert.rejects(mine.read(info.id), {
      message: `the backup ${file} is a symbolic link; backups are never read through one`,
    });
  });

  it('refuses a directory that belongs to another user (planted with chown where the test may)', async () => {
    const foreign = join(dir, 'foreign');
    await mkdir(foreign, { mode: 0o700 });
    try {
      await chown(foreign, 65534, 65534);
    } catch (err) {
      // Without the privilege to plant it, nobody else could have either: chown itself is refused.
      assert.equal((err as NodeJS.ErrnoException).code, 'EPERM');
      return;
    }
    const b = new Backups('target-f', 'tf', foreign);
    await assert.rejects(b.list(), {
      message: `the backups directory ${foreign} belongs to uid 65534, not to you (uid ${process.getuid!()}); backups there are neither read nor written`,
    });
    await assert.rejects(b.write(secret('x')), { name: 'FileErrorError' });
    assert.deepEqual(await readdir(foreign), []);
  });
});
