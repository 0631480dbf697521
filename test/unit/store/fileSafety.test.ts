// The file store's promises about the file itself: symlinks stay links, hard links, owner, group
// and mode are kept, the lock is honoured and a stale one broken, odd encodings and duplicate
// objects get their own errors, CRLF files stay CRLF, JSON files stay JSON. Every bad-input case
// checks the exact message and that the file is byte-identical afterwards.
import { exitCodeOf } from '../../../source/commands/exitCodes.js';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  chmod,
  chown,
  copyFile,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ConflictError, StoreError } from '../../../source/store/errors.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import { Manifest } from '../../../source/store/file/manifest.js';
import { YamlManifest } from '../../../source/store/file/yamlManifest.js';
import { bigManifest } from '../../../bench/bigManifest.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/manifests');
const HASH = '$2b$10$abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc';
let dir: string;
let n = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eda-filesafety-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fresh(name = 'list.yaml'): Promise<{ sub: string; path: string }> {
  const sub = join(dir, String(n++));
  await mkdir(sub);
  const path = join(sub, name);
  await copyFile(join(FIXTURES, name), path);
  return { sub, path };
}

const opts = (sub: string) => ({ backupDir: join(sub, 'backups') });

/** Everything in the directory but the manifest, its links and the backups: temp files, locks. */
async function leftovers(sub: string, keep: string[]): Promise<string[]> {
  return (await readdir(sub)).filter((f) => f !== 'backups' && !keep.includes(f));
}

describe('file store: links, owner, mode', () => {
  it('writes through a symlink to its target; the link stays a link', async () => {
    const { sub, path } = await fresh();
    const linkPath = join(sub, 'link.yaml');
    await symlink('list.yaml', linkPath);
    const store = await createFileStore(linkPath, opts(sub));
    const [admin] = await store.listUsers();
    await store.setUserPassword(admin!, HASH);
    assert.ok((await lstat(linkPath)).isSymbolicLink());
    assert.equal(await readlink(linkPath), 'list.yaml');
    assert.equal((await store.listUsers())[0]!.data.password, HASH);
    assert.match(await readFile(path, 'utf8'), new RegExp(Buffer.from(HASH).toString('base64')));
    assert.deepEqual(await leftovers(sub, ['list.yaml', 'link.yaml']), []);
  });

  it('keeps hard links: both names still share one inode with the new content', async () => {
    const { sub, path } = await fresh();
    const other = join(sub, 'other-name.yaml');
    await link(path, other);
    const before = await stat(path);
    const store = await createFileStore(path, opts(sub));
    const [admin] = await store.listUsers();
    await store.setUserPassword(admin!, HASH);
    const [a, b] = [await stat(path), await stat(other)];
    assert.equal(a.ino, before.ino);
    assert.equal(b.ino, before.ino);
    assert.equal(a.nlink, 2);
    assert.equal(await readFile(other, 'utf8'), await readFile(path, 'utf8'));
    assert.equal((await (await createFileStore(other, opts(sub))).listUsers())[0]!.data.password, HASH);
    assert.deepEqual(await leftovers(sub, ['list.yaml', 'other-name.yaml']), []);
  });

  it('keeps owner, group and mode of a file owned by another user (the test runs as root)', async () => {
    assert.equal(process.getuid?.(), 0, 'this test needs root to give the file another owner');
    const { sub, path } = await fresh();
    await chown(path, 4321, 8765);
    await chmod(path, 0o640);
    const before = await stat(path);
    const store = await createFileStore(path, opts(sub));
    const base = await store.getDexConfig();
    await store.saveDexConfig({ base, changes: { issuer: 'https://owner.example.com' } });
    const now = await stat(path);
    assert.deepEqual([now.uid, now.gid, now.mode & 0o7777], [4321, 8765, 0o640]);
    assert.notEqual(now.ino, before.ino, 'a single-link file is replaced atomically (new inode)');
    assert.equal((await store.getDexConfig()).data.issuer, 'https://owner.example.com');
  });
});

describe('file store: the lock', () => {
  it('a lock left by a dead process is broken; the save goes through and leaves no lock', async () => {
    const { sub, path } = await fresh();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const lock = join(sub, '.list.yaml.lock');
    await writeFile(
      lock,
      JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: 'earlier', nonce: 'x' }),
    );
    const store = await createFileStore(path, opts(sub));
    const base = await store.getDexConfig();
    await store.saveDexConfig({ base, changes: { issuer: 'https://after-stale.example.com' } });
    assert.equal((await store.getDexConfig()).data.issuer, 'https://after-stale.example.com');
    assert.deepEqual(await leftovers(sub, ['list.yaml']), []);
  });

  it('a lock held by a live process makes the save wait, then refuse with who holds it', async () => {
    const { sub, path } = await fresh();
    const original = await readFile(path, 'utf8');
    const lock = join(sub, '.list.yaml.lock');
    const holder = { pid: process.ppid, host: hostname(), since: '2026-01-01T00:00:00.000Z', nonce: 'y' };
    await writeFile(lock, JSON.stringify(holder));
    const store = await createFileStore(path, { ...opts(sub), lockWaitMs: 300 });
    const base = await store.getDexConfig();
    await assert.rejects(
      store.saveDexConfig({ base, changes: { issuer: 'https://x.example.com' } }),
      (err: unknown) => {
        assert.ok(err instanceof StoreError);
        assert.equal(err.kind, 'FileError');
        assert.equal(
          err.message,
          `cannot save ${path}: it is locked by process ${process.ppid} on ${hostname()} since 2026-01-01T00:00:00.000Z (the lock file ${lock}); nothing was written`,
        );
        assert.equal(
          err.hint,
          `wait for that save to finish and try again; if no such process is running, remove ${lock}`,
        );
        return true;
      },
    );
    assert.equal(await readFile(path, 'utf8'), original);
    assert.equal(JSON.parse(await readFile(lock, 'utf8')).nonce, 'y', 'the live lock is left alone');
  });
});

describe('file store: manifests that are not what they seem', () => {
  const cases: [string, Buffer, string, string][] = [
    ['empty', Buffer.alloc(0), 'is empty: there is no dex-config to load', 'export the objects with'],
    [
      'white space only',
      Buffer.from('\n  \n'),
      'is empty (only white space): there is no dex-config to load',
      'export the objects with',
    ],
    [
      'UTF-16 with a byte-order mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: Secret\n', 'utf16le')]),
      'is UTF-16 text (a UTF-16 LE byte-order mark), not UTF-8: manifests are read as UTF-8',
      'convert it with: iconv -f UTF-16 -t UTF-8',
    ],
    [
      'UTF-16 without a byte-order mark',
      Buffer.from('apiVersion: v1\nkind: Secret\n', 'utf16le'),
      'is UTF-16 text (NUL bytes between its characters), not UTF-8: manifests are read as UTF-8',
      'convert it with: iconv -f UTF-16 -t UTF-8',
    ],
    [
      'binary',
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x41, 0x42, 0x43, 0x44]),
      'is not a YAML manifest: it holds binary data (a NUL byte at offset 7)',
      '--file takes the YAML or JSON that kubectl writes',
    ],
    [
      'Latin-1 bytes',
      Buffer.from('kind: Secret\nmetadata:\n  name: caf\xe9\n', 'latin1'),
      'is not a YAML manifest: it is not UTF-8 text (invalid byte 0xe9 at offset 34)',
      'convert it to UTF-8',
    ],
  ];
  for (const [label, bytes, message, hint] of cases) {
    it(`${label}: its own error at open, not "dex-config not found"; nothing written`, async () => {
      const sub = join(dir, String(n++));
      await mkdir(sub);
      const path = join(sub, 'odd.yaml');
      await writeFile(path, bytes);
      await assert.rejects(createFileStore(path, opts(sub)), (err: unknown) => {
        assert.ok(err instanceof StoreError);
        assert.equal(err.kind, 'FileError');
        assert.equal(exitCodeOf(err), 1);
        assert.equal(err.message, `${path} ${message}`);
        assert.ok(err.hint?.startsWith(hint), err.hint);
        return true;
      });
      assert.ok((await readFile(path)).equals(bytes));
      assert.deepEqual(await leftovers(sub, ['odd.yaml']), []);
    });
  }

  it('a file of YAML that holds no Kubernetes objects says so', async () => {
    const { sub } = await fresh();
    const path = join(sub, 'notes.yaml');
    await writeFile(path, 'shopping:\n- milk\n');
    const store = await createFileStore(path, opts(sub));
    await assert.rejects(store.loadSnapshot(), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'FileError');
      assert.equal(
        err.message,
        `${path} holds no Kubernetes objects (no document or List item with a kind and a metadata.name)`,
      );
      return true;
    });
  });

  it('dex-config in another namespace: the hint names it', async () => {
    const { sub, path } = await fresh();
    const store = await createFileStore(path, { ...opts(sub), namespace: 'other' });
    await assert.rejects(store.loadSnapshot(), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'NotFound');
      assert.equal(err.message, 'secrets "dex-config" not found in namespace "other"');
      assert.equal(err.hint, `the file ${path} has it in namespace "epinio": use -n epinio`);
      return true;
    });
  });

  it('two dex-config objects in one file are refused, naming both lines; nothing written', async () => {
    const { sub, path } = await fresh('multidoc.yaml');
    const text = await readFile(path, 'utf8');
    const dex = text.slice(0, text.indexOf('---\n', 1));
    const doubled = `${text}${text.endsWith('\n') ? '' : '\n'}---\n${dex}`;
    await writeFile(path, doubled);
    const second = doubled.slice(0, doubled.lastIndexOf(dex)).split('\n').length;
    const store = await createFileStore(path, opts(sub));
    const check = (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'FileError');
      assert.equal(
        err.message,
        `${path} has 2 Secret objects named "dex-config" in namespace "epinio" (lines 1 and ${second}); nothing was loaded or written`,
      );
      assert.equal(
        err.hint,
        'remove all but one of them (kubectl apply would keep only the last), then load the file again',
      );
      return true;
    };
    await assert.rejects(store.loadSnapshot(), check);
    await assert.rejects(store.getDexConfig(), check);
    assert.equal(await readFile(path, 'utf8'), doubled);
  });
});

describe('file store: line endings and JSON', () => {
  it('a stringData block edit in a CRLF file writes CRLF lines', async () => {
    const { sub, path } = await fresh('multidoc.yaml');
    const crlf = (await readFile(path, 'utf8')).replace(/\n/g, '\r\n');
    await writeFile(path, crlf);
    const store = await createFileStore(path, opts(sub));
    const base = await store.getDexConfig();
    const next = 'issuer: https://auth.example.com\n# a new line\nenablePasswordDB: false\nextra: [a, b]';
    await store.saveDexConfig({ base, changes: { 'config.yaml': next, rolesMapping: '- connectorId: x\n' } });
    const text = await readFile(path, 'utf8');
    assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'every line ends in CRLF');
    assert.match(text, /\r\n {4}# a new line\r\n/);
    assert.equal((await store.getDexConfig()).data['config.yaml'], next);
  });

  it('a JSON manifest stays JSON: one value changes, a new key is added in JSON syntax', async () => {
    const { sub } = await fresh();
    const path = join(sub, 'epinio.json');
    const value = parseAllDocuments(await readFile(join(FIXTURES, 'list.yaml'), 'utf8'))[0]!.toJSON();
    const original = JSON.stringify(value);
    await writeFile(path, original);
    const store = await createFileStore(path, opts(sub));
    const [admin, jane] = await store.listUsers();
    await store.setUserPassword(admin!, HASH);
    await store.setUserPassword(jane!, HASH);
    const text = await readFile(path, 'utf8');
    const parsed = JSON.parse(text) as {
      items: { data?: Record<string, string>; stringData?: Record<string, string> }[];
    };
    assert.equal(parsed.items[1]!.data!.password, Buffer.from(HASH).toString('base64'));
    assert.equal(parsed.items[2]!.stringData!.password, HASH);
    assert.equal(text.split('\n').length, 1, 'still one line');
    assert.deepEqual(
      (await store.listUsers()).map((u) => u.data.password),
      [HASH, HASH],
    );
  });

  it('the single-pass reader reads every object as the yaml package does (fixtures, JSON, generated)', () => {
    const texts = [
      ['list.yaml', readFileSync(join(FIXTURES, 'list.yaml'), 'utf8')],
      ['multidoc.yaml', readFileSync(join(FIXTURES, 'multidoc.yaml'), 'utf8')],
      ['generated', bigManifest(30)],
      [
        'generated, indented items',
        // Items indented under `items:` (another writer's style): every item line moves right.
        bigManifest(5).replace(/^(?=[- ])/gm, '  '),
      ],
      ['generated JSON', JSON.stringify(parseAllDocuments(bigManifest(5))[0]!.toJSON(), null, 4)],
    ];
    for (const [label, text] of texts) {
      const fast = Manifest.parse(text!, label!);
      const whole = YamlManifest.parse(text!, label!);
      assert.ok(fast.objects.length > 0, label);
      assert.deepEqual(
        fast.objects.map((o) => [o.kind, o.name, o.rv]),
        whole.objects.map((o) => [o.kind, o.name, o.rv]),
        label,
      );
    }
  });
});

describe('file store: conflicts on a user name what changed', () => {
  it('another writer changed only a label: the conflict says so, nothing is written', async () => {
    const { sub, path } = await fresh();
    const store = await createFileStore(path, opts(sub));
    const [admin] = await store.listUsers();
    const changed = (await readFile(path, 'utf8')).replace(
      '      epinio.io/api-user-credentials: "true"\n    name: ruser-admin',
      '      epinio.io/api-user-credentials: "true"\n      team: blue\n    name: ruser-admin',
    );
    await writeFile(path, changed);
    await assert.rejects(store.setUserRoles(admin!, 'admin,user'), (err: unknown) => {
      assert.ok(err instanceof ConflictError);
      assert.deepEqual(err.overlappingKeys, ['label team']);
      assert.equal(
        err.message,
        `conflict: ${admin!.name} was changed by someone else since it was loaded (changed meanwhile: label team); nothing was written`,
      );
      return true;
    });
    assert.equal(await readFile(path, 'utf8'), changed);
  });
});
