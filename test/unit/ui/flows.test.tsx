// Operator flows through the real app on a demo file store (a private temp copy): what the
// operator sees in the frame, and what was (not) written.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import {
  KEY,
  press,
  privateBackupDir,
  renderApp,
  spiedDemoStore,
  type,
  waitFor,
  waitText,
  writes,
} from './helpers.js';
import React from 'react';
import { App } from '../../../source/ui/app.js';
import { monoTheme } from '../../../source/ui/theme.js';

afterEach(() => cleanup());

const CHART_DEFAULT_HASH = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W';
const CTRL_U = '\x15';

test('add connector: an invalid field shows inline and nothing is staged or written', async () => {
  const { store, calls } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, 'a');
  await waitText(lastFrame, 'Add connector: choose a type');
  await type(stdin, 'gitlab');
  await press(stdin, KEY.enter);
  await waitText(lastFrame, 'Add GitLab connector');
  await type(stdin, 'github'); // duplicate id
  await press(stdin, KEY.tab);
  await type(stdin, 'GitLab');
  await press(stdin, KEY.enter);
  const frame = await waitText(lastFrame, 'nothing was staged');
  assert.match(frame, /a connector with id "github" already exists/);
  assert.match(frame, /required: logins through this connector fail without it/);
  assert.doesNotMatch(frame, /unsaved changes/);
  await press(stdin, KEY.escape);
  await waitText(lastFrame, 'Corporate LDAP');
  assert.doesNotMatch(lastFrame()!, /unsaved changes/);
  assert.deepEqual(writes(calls), []);
});

test('add connector: a valid form is staged (not written) and shows as unsaved', async () => {
  const { store, calls } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, 'a');
  await waitText(lastFrame, 'choose a type');
  await type(stdin, 'gitlab');
  await press(stdin, KEY.enter);
  await waitText(lastFrame, 'Add GitLab connector');
  await type(stdin, 'gitlab');
  await press(stdin, KEY.tab);
  await type(stdin, 'GitLab');
  // id, name, baseURL, clientID, clientSecret: the order of the gitlab schema.
  await press(stdin, KEY.tab, KEY.tab);
  await waitText(lastFrame, '> Client ID');
  await type(stdin, 'gl-client');
  await press(stdin, KEY.tab);
  await waitText(lastFrame, '> Client secret');
  await type(stdin, 'gl-very-secret');
  await waitText(lastFrame, '••••••••••••••');
  assert.doesNotMatch(lastFrame()!, /gl-very-secret/, 'secret fields are masked while typing');
  await press(stdin, KEY.enter);
  await waitText(lastFrame, 'unsaved changes (1)');
  assert.match(lastFrame()!, /gitlab\s+gitlab\s+GitLab/);
  assert.deepEqual(writes(calls), []);
});

test('role mapping: an unknown role is explained in the frame and not staged', async () => {
  const { store, calls } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '2');
  await waitText(lastFrame, 'acme:platform-admins');
  await press(stdin, KEY.down, 'e');
  await waitText(lastFrame, 'Edit group for github');
  await press(stdin, KEY.tab, CTRL_U);
  await type(stdin, 'bogus_role');
  const frame = await waitText(lastFrame, 'unknown role "bogus_role"');
  assert.match(frame, /Epinio skips unknown roles/);
  await press(stdin, KEY.enter);
  await waitText(lastFrame, 'unknown role "bogus_role"');
  assert.match(lastFrame()!, /Edit group for github/, 'the dialog stays open');
  await press(stdin, KEY.escape);
  await waitText(lastFrame, 'acme:platform-admins');
  assert.doesNotMatch(lastFrame()!, /unsaved changes/);
  assert.deepEqual(writes(calls), []);
});

test('password reset: weak and mismatched entries are refused; Cancel is the default; a good one is written once and verified', async () => {
  const { store, calls } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '3');
  await waitText(lastFrame, 'USERNAME');
  await press(stdin, 'p');
  await waitText(lastFrame, 'Reset password: admin');
  await type(stdin, 'abc');
  await waitText(lastFrame, 'use at least 8');
  await press(stdin, KEY.enter);
  assert.match(lastFrame()!, /Reset password: admin/);
  await press(stdin, CTRL_U);
  await type(stdin, 'Str0ng-enough-pw');
  await press(stdin, KEY.tab);
  await type(stdin, 'Str0ng-enough-pX');
  await press(stdin, KEY.enter);
  await waitText(lastFrame, 'the two passwords do not match');
  assert.ok(!calls.some((c) => c.method === 'setUserPassword'));
  assert.doesNotMatch(lastFrame()!, /Str0ng/, 'passwords are masked');

  await press(stdin, KEY.backspace);
  await type(stdin, 'w');
  await press(stdin, KEY.enter);
  await waitText(lastFrame, 'Set the password of admin?');
  await press(stdin, KEY.enter); // default: Cancel
  await waitText(lastFrame, 'Reset password: admin');
  assert.ok(!calls.some((c) => c.method === 'setUserPassword'));

  await press(stdin, KEY.enter);
  await waitText(lastFrame, 'Set the password of admin?');
  await press(stdin, KEY.tab, KEY.enter);
  await waitFor(lastFrame, (f) => /set and verified/.test(f), 'verified status', 20000);
  assert.equal(calls.filter((c) => c.method === 'setUserPassword').length, 1);
  assert.ok(
    calls.some((c) => c.method === 'listUsers'),
    'the users are re-read after the write',
  );
});

test('save: masked diff, Cancel-default confirmation, exactly one write, restart offered', async () => {
  const { store, calls } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '4');
  await waitText(lastFrame, 'admin@epinio.io');
  await press(stdin, 'd');
  await waitText(lastFrame, 'Remove Dex local user admin@epinio.io?');
  await press(stdin, KEY.tab, KEY.enter);
  await waitText(lastFrame, 'unsaved changes (1)');

  await press(stdin, 'w');
  const diff = await waitText(lastFrame, 'Save dex-config (1 staged step)');
  assert.match(diff, /-\s*- email: "admin@epinio.io"/);
  assert.ok(!diff.includes(CHART_DEFAULT_HASH), 'hashes are masked in the diff');
  await press(stdin, KEY.enter); // Cancel is focused
  await waitFor(lastFrame, (f) => !f.includes('Save dex-config'), 'dialog closed');
  assert.equal(calls.filter((c) => c.method === 'saveDexConfig').length, 0);

  await press(stdin, 'w');
  await waitText(lastFrame, 'Save dex-config');
  await press(stdin, KEY.tab, KEY.enter);
  await waitText(lastFrame, 'Restart Dex now?');
  assert.equal(calls.filter((c) => c.method === 'saveDexConfig').length, 1);
  await press(stdin, KEY.enter); // Later
  await waitText(lastFrame, 'Dex not restarted');
  assert.doesNotMatch(lastFrame()!, /unsaved changes/);
  const saved = await store.getDexConfig();
  assert.ok(!saved.data['config.yaml']!.includes('admin@epinio.io'));
  assert.equal(writes(calls).length, 1);
});

test('conflict: nothing written, edits kept; reload-and-reapply then saves both changes', async () => {
  const { store, calls, path } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '4');
  await waitText(lastFrame, 'admin@epinio.io');
  await press(stdin, 'd');
  await waitText(lastFrame, 'Remove Dex local user');
  await press(stdin, KEY.tab, KEY.enter);
  await waitText(lastFrame, 'unsaved changes (1)');

  // Someone else edits config.yaml meanwhile.
  const other = await createFileStore(path, { backupDir: await privateBackupDir() });
  const base = await other.getDexConfig();
  await other.saveDexConfig({
    base,
    changes: { 'config.yaml': `${base.data['config.yaml']!.trimEnd()}\n# changed by a colleague\n` },
  });

  await press(stdin, 'w');
  await waitText(lastFrame, 'Save dex-config');
  await press(stdin, KEY.tab, KEY.enter);
  const conflict = await waitText(lastFrame, 'Conflict: dex-config changed on the cluster');
  assert.match(conflict, /\+# changed by a colleague/);
  await press(stdin, KEY.enter); // Keep editing (default)
  await waitText(lastFrame, 'your staged edits are kept');
  assert.match(lastFrame()!, /unsaved changes \(1\)/);

  await press(stdin, 'w');
  await waitText(lastFrame, 'Save dex-config');
  await press(stdin, KEY.tab, KEY.enter);
  await waitText(lastFrame, 'Conflict: dex-config changed');
  await press(stdin, KEY.tab, KEY.enter); // Reload and re-apply
  await waitText(lastFrame, 'staged edits are re-applied');
  assert.match(lastFrame()!, /unsaved changes \(1\)/);
  await press(stdin, 'w');
  await waitText(lastFrame, 'Save dex-config');
  await press(stdin, KEY.tab, KEY.enter);
  await waitText(lastFrame, 'Restart Dex now?');
  const saved = (await store.getDexConfig()).data['config.yaml']!;
  assert.match(saved, /# changed by a colleague/);
  assert.ok(!saved.includes('admin@epinio.io'));
  assert.equal(calls.filter((c) => c.method === 'saveDexConfig').length, 3);
});

test('read-only (--read-only): dangerous actions absent from footer and help, refused with the reason', async () => {
  const { store, calls } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store, { readOnly: true });
  const frame = await waitText(lastFrame, 'Corporate LDAP');
  assert.match(frame, /READ-ONLY/);
  assert.doesNotMatch(frame, /a add|w save|d delete/);
  assert.match(frame, /⏎ details/);
  await press(stdin, 'a');
  await waitText(lastFrame, '"add" is not available in read-only mode (started with --read-only)');
  await press(stdin, '?');
  const help = await waitText(lastFrame, 'Keys');
  assert.doesNotMatch(help, /edit YAML|rename id|restart Dex|\bsave\b/);
  await press(stdin, KEY.escape);
  for (const tab of ['2', '3', '4']) {
    await press(stdin, tab);
    await waitFor(lastFrame, (f) => !f.includes('Keys'), 'help closed');
    assert.doesNotMatch(lastFrame()!, /reset password|add entry|\bcreate\b|remove/);
  }
  await press(stdin, 'p');
  await waitText(lastFrame, 'not available in read-only mode');
  assert.deepEqual(writes(calls), []);
});

test('read-only when the store denies writes: the reason is shown', async () => {
  const { store } = await spiedDemoStore({ readOnly: true });
  const { lastFrame } = renderApp(store);
  const frame = await waitFor(
    lastFrame,
    (f) => f.includes('READ-ONLY') && f.includes('Corporate LDAP'),
    'read-only badge',
  );
  assert.match(frame, /read-only: /);
});

test('terminal too small, quit with unsaved edits asks, Ctrl+C exits', async () => {
  const small = renderApp((await spiedDemoStore()).store, { size: { columns: 60, rows: 15 } });
  await waitText(small.lastFrame, 'terminal too small: need at least 80x20');
  small.unmount();

  const { store } = await spiedDemoStore();
  const { lastFrame, stdin, exits } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '4');
  await waitText(lastFrame, 'admin@epinio.io');
  await press(stdin, 'd', KEY.tab, KEY.enter);
  await waitText(lastFrame, 'unsaved changes (1)');
  await press(stdin, 'q');
  await waitText(lastFrame, 'Quit with unsaved changes?');
  assert.deepEqual(exits, []);
  await press(stdin, KEY.enter); // Keep editing
  await waitFor(lastFrame, (f) => !f.includes('Quit with unsaved'), 'quit dialog closed');
  assert.deepEqual(exits, []);
  await press(stdin, KEY.ctrlC);
  await waitFor(
    () => String(exits.length),
    (n) => n === '1',
    'exit',
  );
  assert.deepEqual(exits, [130]);
});

test('terminal too small and back: the open dialog keeps its fields, and keys wait meanwhile', async () => {
  const { store, calls } = await spiedDemoStore();
  const app = renderApp(store);
  const at = (columns: number, rows: number) =>
    app.rerender(
      <App
        store={store}
        readOnly={false}
        onExit={(c) => app.exits.push(c)}
        theme={monoTheme}
        size={{ columns, rows }}
      />,
    );
  await waitText(app.lastFrame, 'Corporate LDAP');
  await press(app.stdin, '3');
  await waitText(app.lastFrame, 'USERNAME');
  await press(app.stdin, 'p');
  await waitText(app.lastFrame, 'Reset password: admin');
  await type(app.stdin, 'abc');
  await waitText(app.lastFrame, 'new password *: •••');
  at(60, 15);
  await waitText(app.lastFrame, 'terminal too small: need at least 80x20 (now 60x15)');
  assert.match(app.lastFrame()!, /enlarge the window, or press q to quit/);
  // Typed while too small: neither reaches the dialog nor acts on the screen under it.
  await type(app.stdin, 'zz');
  await press(app.stdin, KEY.escape, KEY.enter, 'w');
  at(120, 40);
  const frame = await waitText(app.lastFrame, 'Reset password: admin');
  assert.match(frame, /new password \*: ••• /);
  assert.doesNotMatch(frame, /•••••/);
  assert.deepEqual(writes(calls), []);
  assert.deepEqual(app.exits, []);
  // q on the small screen quits when nothing would be lost.
  await press(app.stdin, KEY.escape);
  await waitFor(app.lastFrame, (f) => !f.includes('Reset password'), 'dialog closed');
  at(60, 15);
  await waitText(app.lastFrame, 'terminal too small');
  await press(app.stdin, 'q');
  await waitFor(
    () => String(app.exits.length),
    (n) => n === '1',
    'exit',
  );
  assert.deepEqual(app.exits, [0]);
});
