import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appReducer, initialState, hasUnsaved, type AppState } from '../../../source/ui/state/appState.js';
import {
  clampPosition,
  filterBySearchTexts,
  filterItems,
  moveCursor,
  searchTexts,
  visibleSlice,
} from '../../../source/ui/state/listWindow.js';
import { sortUsers } from '../../../source/ui/screens/UsersScreen.js';
import type { EpinioUser } from '../../../source/domain/users.js';
import { editText, textState } from '../../../source/ui/input/textEdit.js';
import { topLayer } from '../../../source/ui/input/bus.js';
import type { SecretObject, Snapshot } from '../../../source/store/types.js';

const secret = (rv: string, data: Record<string, string>): SecretObject => ({
  name: 'dex-config',
  namespace: 'epinio',
  resourceVersion: rv,
  type: 'Opaque',
  labels: {},
  annotations: {},
  data,
});
const snapshot: Snapshot = {
  location: { backend: 'file', namespace: 'epinio', file: '/x' },
  dexConfig: secret('1', { 'config.yaml': 'issuer: x\n' }),
  users: [],
  roleConfigMaps: [],
};

function loaded(): AppState {
  return appReducer(initialState({ readOnly: false }), { type: 'loaded', snapshot });
}

test('staging, undo per step, and unsaved marker', () => {
  let s = loaded();
  s = appReducer(s, {
    type: 'stage',
    label: 'rename',
    dex: [{ op: 'connector.rename', from: 'a', to: 'b' }],
    mapping: [{ op: 'connector.rename', from: 'a', to: 'b' }],
  });
  s = appReducer(s, { type: 'stage', label: 'remove', dex: [{ op: 'connector.remove', id: 'c' }] });
  assert.equal(s.dexEdits.length, 2);
  assert.equal(s.mappingEdits.length, 1);
  assert.ok(hasUnsaved(s));
  s = appReducer(s, { type: 'undoStep' });
  assert.deepEqual(s.dexEdits, [{ op: 'connector.rename', from: 'a', to: 'b' }]);
  s = appReducer(s, { type: 'undoStep' });
  assert.ok(!hasUnsaved(s));
});

test('a rebase replaces the base and keeps every staged edit; a save clears them', () => {
  let s = loaded();
  s = appReducer(s, { type: 'stage', label: 'x', dex: [{ op: 'passwordDB.set', enabled: false }] });
  const remote = secret('2', { 'config.yaml': 'issuer: y\n' });
  s = appReducer(s, { type: 'rebase', dexConfig: remote });
  assert.equal(s.snapshot!.dexConfig.resourceVersion, '2');
  assert.equal(s.dexEdits.length, 1);
  s = appReducer(s, { type: 'saved', dexConfig: secret('3', {}), backupId: 'b1' });
  assert.equal(s.dexEdits.length, 0);
  assert.equal(s.lastBackupId, 'b1');
});

test('denied capabilities turn the UI read-only with the reason', () => {
  const s = appReducer(loaded(), {
    type: 'capabilities',
    capabilities: {
      writeDexConfig: false,
      writeUsers: true,
      restartDex: true,
      reasons: ['cannot patch secrets "dex-config" in namespace "epinio"'],
    },
  });
  assert.equal(s.readOnly.on, true);
  assert.deepEqual(s.readOnly.reasons, ['cannot patch secrets "dex-config" in namespace "epinio"']);
  const ok = appReducer(loaded(), {
    type: 'capabilities',
    capabilities: { writeDexConfig: true, writeUsers: true, restartDex: true, reasons: [] },
  });
  assert.equal(ok.readOnly.on, false);
});

test('modal stack, tabs, filter resets the cursor', () => {
  let s = loaded();
  s = appReducer(s, { type: 'pushModal', modal: { kind: 'help' } });
  s = appReducer(s, { type: 'pushModal', modal: { kind: 'quit' } });
  s = appReducer(s, { type: 'replaceModal', modal: { kind: 'save' } });
  assert.deepEqual(
    s.modals.map((m) => m.kind),
    ['help', 'save'],
  );
  s = appReducer(s, { type: 'popModal' });
  assert.deepEqual(
    s.modals.map((m) => m.kind),
    ['help'],
  );
  s = appReducer(s, { type: 'cycleTab', delta: -1 });
  assert.equal(s.tab, 'history');
  s = appReducer(s, { type: 'move', tab: 'users', delta: 30, total: 100, height: 10 });
  assert.deepEqual(s.positions.users, { cursor: 30, offset: 21 });
  s = appReducer(s, { type: 'setFilter', tab: 'users', filter: 'bob' });
  assert.deepEqual(s.positions.users, { cursor: 0, offset: 0 });
});

test('5,000 rows: the window renders exactly its height and follows the cursor', () => {
  const users = Array.from({ length: 5000 }, (_, i) => ({ id: `u${i}`, name: `user${i}@example.com` }));
  let pos = { cursor: 0, offset: 0 };
  for (let i = 0; i < 4321; i++) pos = moveCursor(pos, 1, users.length, 20);
  const { rows, start } = visibleSlice(users, pos, 20);
  assert.equal(rows.length, 20);
  assert.equal(start, 4302);
  assert.equal(rows[rows.length - 1]!.id, 'u4321');
  assert.deepEqual(moveCursor(pos, Infinity, users.length, 20), { cursor: 4999, offset: 4980 });
  assert.equal(filterItems(users, 'user499', (u) => u.name).length, 11);
  assert.deepEqual(clampPosition({ cursor: 10, offset: 0 }, 0, 5), { cursor: 0, offset: 0 });
});

test('text editing and the focus stack', () => {
  let t = textState('ab');
  t = editText(t, 'left', '')!;
  t = editText(t, 'x', 'x')!;
  assert.deepEqual(t, { value: 'axb', cursor: 2 });
  t = editText(t, 'backspace', '')!;
  assert.equal(t.value, 'ab');
  assert.equal(editText(t, 'enter', ''), null);
  assert.equal(editText(t, 'ctrl+s', 's'), null);
  assert.equal(
    topLayer([
      { id: 1, priority: 0 },
      { id: 3, priority: 0 },
      { id: 2, priority: 100 },
    ])!.id,
    2,
  );
  assert.equal(
    topLayer([
      { id: 1, priority: 0 },
      { id: 3, priority: 0 },
    ])!.id,
    3,
  );
});

test('Users: sorted once with a Collator in localeCompare order, then filtered by precomputed texts', () => {
  const names = ['Émile@x.io', 'bob@x.io', 'alice@x.io', 'Zoë@x.io', 'ALICE@y.io', 'zed@x.io', 'éclair@x.io'];
  const users = names.map(
    (username, i) =>
      ({ username, roles: [i % 2 ? 'admin' : 'user'], namespaces: [] }) as unknown as EpinioUser,
  );
  const expected = [...names].sort((a, b) => a.localeCompare(b));
  assert.deepEqual(
    sortUsers(users, 'name').map((u) => u.username),
    expected,
  );
  const byRoles = sortUsers(users, 'roles');
  assert.deepEqual(
    byRoles.map((u) => `${u.roles[0]} ${u.username}`),
    users
      .map((u) => `${u.roles[0]} ${u.username}`)
      .sort((a, b) => a.split(' ')[0]!.localeCompare(b.split(' ')[0]!) || a.localeCompare(b)),
  );
  const texts = searchTexts(byRoles, (u) => `${u.username} ${u.roles.join(' ')}`);
  for (const query of ['', 'ALICE', ' admin ', 'é', 'nobody']) {
    assert.deepEqual(
      filterBySearchTexts(byRoles, texts, query),
      filterItems(byRoles, query, (u) => `${u.username} ${u.roles.join(' ')}`),
      query,
    );
  }
  assert.equal(filterBySearchTexts(byRoles, texts, 'admin').length, 3);
});
