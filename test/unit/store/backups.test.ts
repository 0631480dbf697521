import { strict as assert } from 'node:assert';
import { copyFile, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
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
});
