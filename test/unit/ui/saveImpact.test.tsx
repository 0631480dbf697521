// The save dialog shows who a staged draft affects (the workspace's blast radius, admin changes
// first) and refuses a save that locks every administrator out until the confirmation word is
// typed. Real app, file store on a temp manifest with Dex's RefreshToken objects (the logins).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import type { Store } from '../../../source/store/types.js';
import type { MappingEdit } from '../../../source/domain/rolesMapping.js';
import { KEY, press, renderApp, type, waitFor, waitText, writes, type CallLog } from './helpers.js';

afterEach(() => cleanup());

const token = (name: string, email: string, groups: string[]) => `---
apiVersion: dex.coreos.com/v1
kind: RefreshToken
metadata: { name: ${name}, namespace: epinio }
CreatedAt: "2026-01-01T00:00:00Z"
LastUsed: "2026-01-02T00:00:00Z"
clientID: epinio-cli
token: UI-CANARY-token
claims: { userID: ${name}, username: ${name}, email: ${email}, emailVerified: true, groups: [${groups.map((g) => JSON.stringify(g)).join(', ')}] }
connectorID: github
`;

const user = (name: string, username: string, roles: string) => `---
apiVersion: v1
kind: Secret
type: Opaque
metadata:
  name: ${name}
  namespace: epinio
  labels: { epinio.io/api-user-credentials: "true" }
  annotations: { epinio.io/roles: "${roles}" }
stringData:
  username: ${username}
`;

const MANIFEST = `apiVersion: v1
kind: Secret
type: Opaque
metadata: { name: dex-config, namespace: epinio }
stringData:
  config.yaml: |
    issuer: https://auth.example.com
    storage: { type: kubernetes, config: { inCluster: true } }
    connectors:
    - type: github
      id: github
      name: GitHub
      config: { clientID: abc, clientSecret: s3cr3t, redirectURI: https://auth.example.com/callback }
  rolesMapping: |
    - connectorId: "github"
      groups:
      - id: "acme:admins"
        roles: ["admin"]
      - id: "acme:devs"
        roles: ["user"]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: epinio-user-role, namespace: epinio, labels: { epinio.io/role: "true" } }
data: { id: user, name: User, default: "true", actions: "namespace" }
${user('ruser-alice', 'alice@acme.io', 'admin,user')}${user('ruser-bob', 'bob@acme.io', 'user')}${token('alice', 'alice@acme.io', ['acme:admins', 'acme:devs'])}${token('bob', 'bob@acme.io', ['acme:devs'])}`;

async function spiedFileStore(): Promise<{ store: Store; calls: CallLog; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'eda-ui-impact-'));
  const path = join(dir, 'epinio.yaml');
  await writeFile(path, MANIFEST);
  const real = await createFileStore(path, { namespace: 'epinio', backupDir: join(dir, 'backups') });
  const calls: CallLog = [];
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push({ method: String(prop), args });
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Store;
  return { store, calls, path };
}

const staged = (label: string, mapping: MappingEdit[]) => ({
  initial: { mappingEdits: mapping, steps: [{ label, dex: 0, mapping: mapping.length }] },
});

test('save dialog: the blast radius, admin gains first and marked', async () => {
  const { store, calls } = await spiedFileStore();
  const { lastFrame, stdin } = renderApp(
    store,
    staged('add group', [{ op: 'group.add', entry: 0, group: { id: 'acme:devs', roles: ['admin'] } }]),
  );
  await waitText(lastFrame, 'GitHub');
  await press(stdin, 'w');
  const frame = await waitText(lastFrame, 'Impact: 1 of 2 known identities changes roles');
  assert.match(frame, /\+ bob@acme\.io \(github\): user -> admin,user \(gains admin\)/);
  assert.doesNotMatch(frame, /alice@acme\.io \(github\)/);
  assert.doesNotMatch(frame, /locks every administrator out/);
  assert.doesNotMatch(frame, /UI-CANARY/);
  await press(stdin, KEY.escape);
  assert.deepEqual(writes(calls), []);
});

test('save dialog: an entry that changes nobody says so', async () => {
  const { store } = await spiedFileStore();
  const { lastFrame, stdin } = renderApp(
    store,
    staged('move group', [{ op: 'group.move', entry: 0, from: 1, to: 0 }]),
  );
  await waitText(lastFrame, 'GitHub');
  await press(stdin, 'w');
  await waitText(lastFrame, "Impact: no user's roles change");
});

test('save dialog: a lockout is refused until the confirmation word is typed', async () => {
  const { store, calls, path } = await spiedFileStore();
  const before = await readFile(path, 'utf8');
  const { lastFrame, stdin } = renderApp(
    store,
    staged('remove group acme:admins', [{ op: 'group.remove', entry: 0, group: 0 }]),
  );
  await waitText(lastFrame, 'GitHub');
  await press(stdin, 'w');
  let frame = await waitText(lastFrame, 'This save locks every administrator out');
  assert.match(
    frame,
    /"alice@acme\.io" logging in with connector "github" \(admin through rolesMapping group/,
  );
  assert.match(frame, /keep a rolesMapping group for connector "github" that grants admin/);
  assert.match(frame, /- alice@acme\.io \(github\): admin,user -> user \(loses admin\)/);
  assert.match(frame, /Type "lockout" to save anyway/);
  await press(stdin, KEY.enter);
  frame = await waitText(lastFrame, 'type "lockout" exactly to save');
  await type(stdin, 'lockou');
  await press(stdin, KEY.enter);
  await waitText(lastFrame, 'type "lockout" exactly to save');
  assert.deepEqual(writes(calls), []);
  assert.equal(await readFile(path, 'utf8'), before);
  await type(stdin, 't');
  await press(stdin, KEY.enter);
  await waitFor(
    () => String(writes(calls).length),
    (n) => n === '1',
    'the save',
  );
  await waitFor(lastFrame, (f) => !f.includes('unsaved changes'), 'the save to finish');
  assert.equal(writes(calls).filter((c) => c.method === 'saveDexConfig').length, 1);
  assert.doesNotMatch(await readFile(path, 'utf8'), /- id: "acme:admins"/);
});

test('save dialog: Escape on the lockout dialog writes nothing and keeps the draft', async () => {
  const { store, calls } = await spiedFileStore();
  const { lastFrame, stdin } = renderApp(
    store,
    staged('remove group acme:admins', [{ op: 'group.remove', entry: 0, group: 0 }]),
  );
  await waitText(lastFrame, 'GitHub');
  await press(stdin, 'w');
  await waitText(lastFrame, 'This save locks every administrator out');
  await press(stdin, KEY.escape);
  await waitText(lastFrame, 'unsaved changes (1)');
  assert.deepEqual(writes(calls), []);
});

test('Users screen: x explains the selected user, with its login and the staged draft', async () => {
  const { store, calls } = await spiedFileStore();
  const { lastFrame, stdin } = renderApp(
    store,
    staged('remove group acme:admins', [{ op: 'group.remove', entry: 0, group: 0 }]),
  );
  await waitText(lastFrame, 'GitHub');
  await press(stdin, '3');
  let frame = await waitText(lastFrame, 'alice@acme.io');
  assert.match(frame, /x explain roles/);
  // The logins arrive after the snapshot; until then the dialog says it is still reading them.
  for (let i = 0; ; i++) {
    await press(stdin, 'x');
    frame = await waitText(lastFrame, 'Explain alice@acme.io');
    if (!frame.includes('logins: reading Dex logins…') || i > 50) break;
    await press(stdin, KEY.escape);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(frame, /roles now: admin,user/);
  assert.match(frame, /login via github, groups: acme:admins, acme:devs \(last used 2026-01-02/);
  assert.match(frame, /next request: admin,user: the mapped roles replace the roles of its Secret/);
  assert.match(frame, /with the staged edits: user: the mapped roles replace the roles of its Secret/);
  assert.match(frame, /under legacy semantics: admin,user/);
  await press(stdin, KEY.escape);
  assert.deepEqual(writes(calls), []);
});

/** Two saves through the store before the app starts: the only admin group removed, then put back.
 *  The newest backup and the newest revision are then the state without it: restoring either one
 *  locks every administrator out. */
async function lockedOutBackup(store: Store): Promise<{ original: string; without: string }> {
  const base = await store.getDexConfig();
  const original = base.data.rolesMapping!;
  const without = original.replace(/ {2}- id: "acme:admins"\n {4}roles: \["admin"\]\n/, '');
  assert.notEqual(without, original);
  const first = await store.saveDexConfig({ base, changes: { rolesMapping: without } });
  await new Promise((r) => setTimeout(r, 5)); // distinct backup times
  await store.saveDexConfig({ base: first.secret, changes: { rolesMapping: original } });
  return { original, without };
}

test('Undo save: the restore is previewed (diff and impact) and a lockout needs the confirmation word', async () => {
  const { store, calls, path } = await spiedFileStore();
  const { without } = await lockedOutBackup(store);
  const before = await readFile(path, 'utf8');
  const saves = () => writes(calls).filter((c) => c.method === 'saveDexConfig').length;
  const prior = saves();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'GitHub');
  await press(stdin, 'U');
  let frame = await waitText(lastFrame, 'This save locks every administrator out');
  assert.match(frame, /- alice@acme\.io \(github\): admin,user -> user \(loses admin\)/);
  await press(stdin, KEY.escape);
  await waitFor(lastFrame, (f) => !f.includes('locks every administrator out'), 'the dialog to close');
  assert.equal(saves(), prior, 'Escape wrote nothing');
  assert.equal(await readFile(path, 'utf8'), before);
  await press(stdin, 'U');
  await waitText(lastFrame, 'This save locks every administrator out');
  await type(stdin, 'lockout');
  await press(stdin, KEY.enter);
  frame = await waitText(
    lastFrame,
    'undo last save: saved rolesMapping (revision 3); the replaced version is backup',
  );
  assert.equal(saves(), prior + 1);
  assert.equal((await store.getDexConfig()).data.rolesMapping, without);
});

test('Undo save without a lockout: the masked diff and the impact, Save restores', async () => {
  const { store, calls } = await spiedFileStore();
  const base = await store.getDexConfig();
  const original = base.data.rolesMapping!;
  await store.saveDexConfig({ base, changes: { rolesMapping: `${original}# a colleague's comment\n` } });
  const prior = writes(calls).length;
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'GitHub');
  await press(stdin, 'U');
  const frame = await waitText(lastFrame, "Impact: no user's roles change");
  assert.match(frame, /Undo last save/);
  assert.match(frame, /Writes the backup taken \d{4}-\d\d-\d\dT[\d:.]+Z over the current dex-config\./);
  assert.match(frame, /\n│ -# a colleague's comment +│\n/);
  assert.deepEqual(writes(calls).slice(prior), []);
  await press(stdin, KEY.tab, KEY.enter);
  await waitText(lastFrame, 'undo last save: saved rolesMapping (revision 2)');
  assert.equal((await store.getDexConfig()).data.rolesMapping, original);
});

test('History rollback to a state without a way in: the lockout dialog, Escape writes nothing', async () => {
  const { store, calls, path } = await spiedFileStore();
  await lockedOutBackup(store);
  const before = await readFile(path, 'utf8');
  const prior = writes(calls).length;
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'GitHub');
  await press(stdin, '6');
  await waitText(lastFrame, '> 2     ');
  await press(stdin, 'r');
  const frame = await waitText(lastFrame, 'This save locks every administrator out');
  assert.match(frame, /- alice@acme\.io \(github\): admin,user -> user \(loses admin\)/);
  await press(stdin, KEY.escape);
  await waitFor(lastFrame, (f) => !f.includes('locks every administrator out'), 'the dialog to close');
  assert.deepEqual(writes(calls).slice(prior), []);
  assert.equal(await readFile(path, 'utf8'), before);
});

test('save dialog: until the logins are read it waits (the lockout rests on a login), then refuses the lockout', async () => {
  const { store: spied, calls, path } = await spiedFileStore();
  const before = await readFile(path, 'utf8');
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  // The logins read answers only when the test says so (a slow Dex storage).
  const store = new Proxy(spied, {
    get(target, prop, receiver) {
      if (prop === 'listLogins') return () => gate.then(() => target.listLogins());
      return Reflect.get(target, prop, receiver) as unknown;
    },
  }) as Store;
  const { lastFrame, stdin } = renderApp(
    store,
    staged('remove group acme:admins', [{ op: 'group.remove', entry: 0, group: 0 }]),
  );
  await waitText(lastFrame, 'GitHub');
  await press(stdin, 'w');
  const frame = await waitText(lastFrame, 'Reading Dex logins…');
  assert.match(frame, /The impact of this save and the lockout check need the recorded logins\./);
  assert.doesNotMatch(frame, /\[ Save \]/);
  // Without the logins, alice's way in is unknown: a Save here would have skipped the guard.
  await press(stdin, KEY.tab, KEY.enter);
  await waitFor(lastFrame, (f) => !f.includes('Reading Dex logins…'), 'the dialog to close');
  assert.deepEqual(writes(calls), []);
  await press(stdin, 'w');
  await waitText(lastFrame, 'Reading Dex logins…');
  release();
  await waitText(lastFrame, 'This save locks every administrator out');
  assert.equal(await readFile(path, 'utf8'), before);
});
