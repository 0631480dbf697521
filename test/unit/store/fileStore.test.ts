import { exitCodeOf } from '../../../source/commands/exitCodes.js';
import { strict as assert } from 'node:assert';
import { chmod, copyFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConflictError, StoreError } from '../../../source/store/errors.js';
import { createFileStore, type FileStore } from '../../../source/store/file/fileStore.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/manifests');
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eda-filestore-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function copy(
  name: string,
  mode = 0o640,
): Promise<{ path: string; store: FileStore; original: string }> {
  const path = join(dir, `${n++}-${name}`);
  await copyFile(join(FIXTURES, name), path);
  await chmod(path, mode);
  const store = await createFileStore(path, { backupDir: join(dir, 'backups') });
  return { path, store, original: await readFile(path, 'utf8') };
}

/** The lines of `after` that differ from `before` (same line count assumed). */
function changedLines(before: string, after: string): { before: string[]; after: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { before: a.slice(start, endA), after: b.slice(start, endB) };
}

describe('file store: kind List (kubectl get -o yaml)', () => {
  it('loads dex-config, users and role ConfigMaps with content-hash resourceVersions', async () => {
    const { store } = await copy('list.yaml');
    const snap = await store.loadSnapshot();
    assert.equal(snap.location.backend, 'file');
    assert.equal(snap.dexConfig.name, 'dex-config');
    assert.equal(snap.dexConfig.data.issuer, 'https://auth.example.com');
    assert.match(snap.dexConfig.data['config.yaml'], /# a comment inside config.yaml/);
    assert.equal(snap.dexConfig.labels['app.kubernetes.io/managed-by'], 'Helm');
    assert.match(snap.dexConfig.resourceVersion, /^[0-9a-f]{16}$/);
    assert.deepEqual(
      snap.users.map((u) => u.data.username),
      ['admin', 'jane.doe@example.com'],
    );
    assert.equal(snap.users[0].type, 'BasicAuth');
    assert.equal(snap.users[1].data.namespaces, 'team-blue\n');
    assert.deepEqual(
      snap.roleConfigMaps.map((c) => c.data.id),
      ['user'],
    );
    assert.equal(snap.roleConfigMaps[0].creationTimestamp, '2024-05-01T10:00:00Z');
  });

  it('saves rolesMapping: only that base64 value changes, every other byte stays', async () => {
    const { path, store, original } = await copy('list.yaml');
    const base = await store.getDexConfig();
    const mapping = '- connectorId: github\n  groups:\n  - id: "acme:devs"\n    roles: ["user"]\n';
    const result = await store.saveDexConfig({ base, changes: { rolesMapping: mapping } });
    assert.equal(result.rebased, false);
    assert.equal(result.secret.data.rolesMapping, mapping);
    assert.notEqual(result.secret.resourceVersion, base.resourceVersion);
    const text = await readFile(path, 'utf8');
    const diff = changedLines(original, text);
    assert.deepEqual(diff.after, [`    rolesMapping: ${Buffer.from(mapping).toString('base64')}`]);
    assert.equal(diff.before.length, 1);
    const again = await store.getDexConfig();
    for (const k of ['config.yaml', 'issuer', 'endpoint', 'uiClientSecret'])
      assert.equal(again.data[k], base.data[k]);
    assert.ok(result.backupId);
  });

  it('adds and deletes keys in data', async () => {
    const { path, store } = await copy('list.yaml');
    const base = await store.getDexConfig();
    const r = await store.saveDexConfig({ base, changes: { newKey: 'v1', uiClientSecret: null } });
    assert.equal(r.secret.data.newKey, 'v1');
    assert.equal('uiClientSecret' in r.secret.data, false);
    const text = await readFile(path, 'utf8');
    assert.match(text, /\n {4}newKey: djE=\n/);
    assert.doesNotMatch(text, /uiClientSecret/);
    assert.match(text, /# the admin user, created by the chart/);
  });

  it('an object written with stringData only gets new keys in stringData too', async () => {
    const { path, store, original } = await copy('list.yaml');
    const users = await store.listUsers();
    const jane = users[1];
    await store.setUserPassword(jane, '$2b$12$abcdefghijklmnopqrstuu7gC9b0N6F1K4u1CR3Y5yWx6f9m6rCxS');
    const text = await readFile(path, 'utf8');
    // jane's Secret uses stringData only, so the new key follows that style (quoted: it holds '$').
    const diff = changedLines(original, text);
    assert.deepEqual(diff.before, []);
    assert.deepEqual(diff.after, [
      '    password: "$2b$12$abcdefghijklmnopqrstuu7gC9b0N6F1K4u1CR3Y5yWx6f9m6rCxS"',
    ]);
    const updated = (await store.listUsers())[1];
    assert.equal(updated.data.password, '$2b$12$abcdefghijklmnopqrstuu7gC9b0N6F1K4u1CR3Y5yWx6f9m6rCxS');
    assert.equal(updated.data.username, 'jane.doe@example.com');
  });

  it('a password of a data-style user is written as base64 in data, one line changed', async () => {
    const { path, store, original } = await copy('list.yaml');
    const admin = (await store.listUsers())[0];
    const hash = '$2b$12$abcdefghijklmnopqrstuu7gC9b0N6F1K4u1CR3Y5yWx6f9m6rCxS';
    await store.setUserPassword(admin, hash);
    const diff = changedLines(original, await readFile(path, 'utf8'));
    assert.deepEqual(diff.after, [`    password: ${Buffer.from(hash).toString('base64')}`]);
    assert.equal(diff.before.length, 1);
  });

  it('sets the roles annotation only, keeping other annotations', async () => {
    const { path, store, original } = await copy('list.yaml');
    const admin = (await store.listUsers())[0];
    const r = await store.setUserRoles(admin, 'admin,user');
    assert.equal(r.annotations['epinio.io/roles'], 'admin,user');
    const diff = changedLines(original, await readFile(path, 'utf8'));
    assert.deepEqual(diff, {
      before: ['      epinio.io/roles: admin'],
      after: ['      epinio.io/roles: "admin,user"'],
    });
  });

  it('a concurrent change to other keys rebases; to the same key is a ConflictError and writes nothing', async () => {
    const { path, store } = await copy('list.yaml');
    const base = await store.getDexConfig();
    // Someone else edits the issuer with another tool.
    const other = await createFileStore(path, { backupDir: join(dir, 'backups') });
    await other.saveDexConfig({ base, changes: { issuer: 'https://auth2.example.com' } });

    const r = await store.saveDexConfig({ base, changes: { rolesMapping: '[]\n' } });
    assert.equal(r.rebased, true);
    assert.deepEqual(r.remoteChangedKeys, ['issuer']);
    assert.equal(r.secret.data.issuer, 'https://auth2.example.com');
    assert.equal(r.secret.data.rolesMapping, '[]\n');

    const before = await readFile(path, 'utf8');
    await assert.rejects(
      store.saveDexConfig({ base, changes: { issuer: 'https://mine.example.com' } }),
      (err: unknown) => {
        assert.ok(err instanceof ConflictError);
        assert.deepEqual(err.overlappingKeys, ['issuer']);
        assert.equal(err.remote.data.issuer, 'https://auth2.example.com');
        assert.equal(
          err.message,
          'conflict: dex-config was changed by someone else since it was loaded (keys issuer changed on both sides); nothing was written',
        );
        return true;
      },
    );
    assert.equal(await readFile(path, 'utf8'), before);
  });

  it('a concurrent change to a user is a ConflictError', async () => {
    const { path, store } = await copy('list.yaml');
    const admin = (await store.listUsers())[0];
    await writeFile(
      path,
      (await readFile(path, 'utf8')).replace('epinio.io/roles: admin', 'epinio.io/roles: user'),
    );
    await assert.rejects(store.setUserPassword(admin, '$2b$10$x'), (err: unknown) => {
      assert.ok(err instanceof ConflictError);
      assert.deepEqual(err.overlappingKeys, ['annotation epinio.io/roles']);
      return true;
    });
  });

  it('keeps the file mode and leaves no temp files', async () => {
    const { path, store } = await copy('list.yaml', 0o640);
    const base = await store.getDexConfig();
    await store.saveDexConfig({ base, changes: { issuer: 'https://x.example.com' } });
    assert.equal((await stat(path)).mode & 0o777, 0o640);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('deletes a user (List item) and keeps everything else', async () => {
    const { path, store } = await copy('list.yaml');
    const jane = (await store.listUsers())[1];
    await store.deleteUser(jane);
    const text = await readFile(path, 'utf8');
    assert.doesNotMatch(text, /janedoe/);
    assert.match(text, /unrelated: value # keep me/);
    assert.deepEqual(
      (await store.listUsers()).map((u) => u.data.username),
      ['admin'],
    );
    assert.equal((await store.listRoleConfigMaps()).length, 1);
  });

  it('creates a user as a new List item (server name formula, sorted roles) and refuses a duplicate', async () => {
    const { path, store, original } = await copy('list.yaml');
    const created = await store.createUser({
      username: 'john_smith',
      passwordHash: '$2b$10$abc',
      roles: ['user', 'admin:ws', 'user'],
      namespaces: ['ws'],
    });
    assert.equal(created.name, 'ruser-john-smith-8ea2d71c8b7f4753628da63ba2c4916bb6797bfc');
    assert.equal(created.annotations['epinio.io/roles'], 'admin:ws,user');
    assert.deepEqual(created.data, { username: 'john_smith', password: '$2b$10$abc', namespaces: 'ws' });
    const text = await readFile(path, 'utf8');
    // Inserted after the last item, before the List's own trailing fields; nothing else moves.
    const cut = original.indexOf('kind: List\n');
    assert.equal(text.slice(0, cut), original.slice(0, cut));
    assert.ok(text.endsWith(original.slice(cut)));
    assert.deepEqual(
      (await store.listUsers()).map((u) => u.data.username),
      ['admin', 'jane.doe@example.com', 'john_smith'],
    );
    await assert.rejects(store.createUser({ username: 'admin', roles: [] }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'Conflict');
      assert.equal(
        err.message,
        'user admin already exists (Secret ruser-admin-f585ef20266ee6e88d327c03c1c1b77d4fef6340)',
      );
      return true;
    });
  });

  it('restartDex explains there is no cluster', async () => {
    const { store } = await copy('list.yaml');
    await assert.rejects(store.restartDex({ wait: false, timeoutMs: 1000 }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'FileError');
      assert.match(err.message, /^there is no cluster to restart Dex in: this session edits the file /);
      assert.equal(
        err.hint,
        'after applying the file, restart Dex with: kubectl rollout restart deployment/dex -n epinio',
      );
      return true;
    });
  });
});

describe('file store: multi-document stream with stringData', () => {
  it('writes config.yaml back to stringData as a block literal; comments survive', async () => {
    const { path, store, original } = await copy('multidoc.yaml');
    const base = await store.getDexConfig();
    assert.equal(
      base.data['config.yaml'],
      'issuer: https://auth.example.com\n# keep this comment\nenablePasswordDB: true',
    );
    const next = 'issuer: https://auth.example.com\n# keep this comment\nenablePasswordDB: false';
    await store.saveDexConfig({ base, changes: { 'config.yaml': next } });
    const diff = changedLines(original, await readFile(path, 'utf8'));
    assert.deepEqual(diff, {
      before: ['    enablePasswordDB: true'],
      after: ['    enablePasswordDB: false'],
    });
    assert.equal((await store.getDexConfig()).data['config.yaml'], next);
  });

  it('a multi-line value that needs quoting is written double-quoted and reads back exactly', async () => {
    const { store } = await copy('multidoc.yaml');
    const base = await store.getDexConfig();
    const odd = '  leading spaces\nsecond line\n';
    const r = await store.saveDexConfig({ base, changes: { rolesMapping: odd } });
    assert.equal(r.secret.data.rolesMapping, odd);
    assert.equal((await store.getDexConfig()).data.rolesMapping, odd);
  });

  it('reads the roles annotation verbatim (stray space kept for the domain to flag)', async () => {
    const { store } = await copy('multidoc.yaml');
    const [ops] = await store.listUsers();
    assert.equal(ops.annotations['epinio.io/roles'], 'admin, user');
  });

  it('creates a user as a new document at the end', async () => {
    const { path, store, original } = await copy('multidoc.yaml');
    const created = await store.createUser({ username: 'new@example.com', roles: ['view_only'] });
    const text = await readFile(path, 'utf8');
    assert.ok(text.startsWith(original + '---\n'));
    assert.equal('password' in created.data, false);
    assert.equal((await store.listUsers()).length, 2);
  });

  it('deletes a user document and keeps the others', async () => {
    const { path, store } = await copy('multidoc.yaml');
    const [ops] = await store.listUsers();
    await store.deleteUser(ops);
    const text = await readFile(path, 'utf8');
    assert.doesNotMatch(text, /ruser-ops/);
    assert.match(text, /# keep this comment/);
    assert.equal((await store.listRoleConfigMaps())[0].data.id, 'view_only');
  });
});

describe('file store: read-only and broken files', () => {
  it('a read-only file reports no capabilities with the reason and refuses writes', async () => {
    const { path, store, original } = await copy('list.yaml', 0o444);
    const caps = await store.capabilities();
    assert.equal(caps.writeDexConfig, false);
    assert.equal(caps.writeUsers, false);
    assert.equal(caps.restartDex, false);
    assert.equal(caps.reasons[0], `the file ${path} is read-only (mode 0444)`);
    const base = await store.getDexConfig();
    await assert.rejects(store.saveDexConfig({ base, changes: { issuer: 'x' } }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      // A file mode is not RBAC: exit 1 with a hint about the file, not exit 3 and --read-only.
      assert.equal(err.kind, 'FileError');
      assert.equal(exitCodeOf(err), 1);
      assert.equal(
        err.message,
        `cannot save: the file ${path} is read-only (mode 0444); nothing was written`,
      );
      assert.equal(
        err.hint,
        `it is mode 0444, owner 0:0: make it writable (chmod u+w ${path}) or work on a copy`,
      );
      return true;
    });
    assert.equal(await readFile(path, 'utf8'), original);
  });

  it('a writable file can write everything but restart Dex', async () => {
    const { store } = await copy('list.yaml');
    const caps = await store.capabilities();
    assert.deepEqual([caps.writeDexConfig, caps.writeUsers, caps.restartDex], [true, true, false]);
  });

  it('invalid YAML fails at open with the line', async () => {
    const path = join(dir, 'broken.yaml');
    await writeFile(path, 'kind: Secret\nmetadata: [\n');
    await assert.rejects(createFileStore(path), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'FileError');
      assert.match(
        err.message,
        new RegExp(`^${path.replace(/[.]/g, '\\.')} is not valid YAML \\(line \\d+, column \\d+\\): `),
      );
      return true;
    });
  });

  it('a Secret whose data is not a map fails at open with the object, field and line (found by the fuzzer)', async () => {
    const cases: [string, string][] = [
      [
        'kind: Secret\nmetadata:\n  name: dex-config\n  namespace: epinio\ndata: |\n  config.yaml: aXNzdWVy\n',
        'Secret "dex-config": data is a string, not a map (line 5)',
      ],
      [
        'kind: ConfigMap\nmetadata:\n  name: r\n  labels: [a]\n',
        'ConfigMap "r": metadata.labels is a list, not a map (line 4)',
      ],
      [
        'kind: Secret\nmetadata:\n  name: [a]\n',
        'Secret "a": metadata.name is a list, not a string (line 3)',
      ],
      [
        'kind: Secret\nmetadata:\n  name: x\nstringData: 5\n',
        'Secret "x": stringData is a number, not a map (line 4)',
      ],
    ];
    for (const [text, message] of cases) {
      const path = join(dir, 'shape.yaml');
      await writeFile(path, text);
      await assert.rejects(createFileStore(path), (err: unknown) => {
        assert.ok(err instanceof StoreError);
        assert.equal(err.kind, 'FileError');
        assert.equal(err.message, `${path}: ${message}`);
        assert.equal(
          err.hint,
          'fix the file (kubectl would refuse this object too), or load another one with --file',
        );
        return true;
      });
      assert.equal(await readFile(path, 'utf8'), text);
    }
  });

  it('a dex-config with neither data nor stringData gets a data block, in a block map and in a flow one (found by the fuzzer)', async () => {
    // The fuzzer's input had stringData indented under metadata: the Secret had no data at all,
    // and the new field came out as `data: {...}` glued to the next document's `---`.
    const mapping = '- connectorId: x\n  groups: []\n';
    const encoded = Buffer.from(mapping).toString('base64');
    const cases: [string, string][] = [
      [
        'kind: Secret\nmetadata:\n  name: dex-config\n  namespace: epinio\n  stringData:\n---\nkind: ConfigMap\nmetadata: {name: c}\n',
        `kind: Secret\nmetadata:\n  name: dex-config\n  namespace: epinio\n  stringData:\ndata:\n  rolesMapping: ${encoded}\n---\nkind: ConfigMap\nmetadata: {name: c}\n`,
      ],
      [
        '{"kind": "Secret", "metadata": {"name": "dex-config", "namespace": "epinio"}}\n',
        `{"kind": "Secret", "metadata": {"name": "dex-config", "namespace": "epinio"}, "data": {"rolesMapping": "${encoded}"}}\n`,
      ],
    ];
    for (const [text, written] of cases) {
      const path = join(dir, 'nodata.yaml');
      await writeFile(path, text);
      const store = await createFileStore(path, { backupDir: join(dir, 'backups') });
      const base = await store.getDexConfig();
      assert.deepEqual(base.data, {});
      await store.saveDexConfig({ base, changes: { rolesMapping: mapping } });
      assert.equal(await readFile(path, 'utf8'), written);
      const again = await createFileStore(path, { backupDir: join(dir, 'backups') });
      assert.equal((await again.getDexConfig()).data.rolesMapping, mapping);
    }
  });

  it('a file without dex-config is a NotFoundError with the explanation', async () => {
    const path = join(dir, 'nodex.yaml');
    await writeFile(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: epinio\n');
    const store = await createFileStore(path);
    await assert.rejects(store.loadSnapshot(), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'NotFound');
      assert.equal(err.message, 'secrets "dex-config" not found in namespace "epinio"');
      assert.match(err.hint ?? '', /^wrong namespace \(-n\) or Epinio was installed without Dex/);
      return true;
    });
  });
});
