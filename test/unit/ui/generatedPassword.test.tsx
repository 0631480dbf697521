// The generated-password option in every password dialog, through the real app on a demo file
// store: Ctrl+G fills both (masked) fields and shows the password once, Ctrl+Y hands exactly that
// text to the clipboard, closing the dialog removes it from the screen, and a reset with it stores
// a hash that verifies against it.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../../source/ui/app.js';
import { monoTheme } from '../../../source/ui/theme.js';
import { ClipboardContext, osc52 } from '../../../source/ui/clipboard.js';
import { verifyPassword } from '../../../source/password/hash.js';
import { KEY, press, spiedDemoStore, waitFor, waitText } from './helpers.js';

afterEach(() => cleanup());

const CTRL_G = '\x07';
const CTRL_Y = '\x19';
const GENERATED = /generated \(\d+ bits\): (\S+)/;

async function open(tab: string, key: string, title: string) {
  const spy = await spiedDemoStore();
  const copies: string[] = [];
  const r = render(
    <ClipboardContext.Provider value={{ copy: (t) => (copies.push(t), true) }}>
      <App
        store={spy.store}
        readOnly={false}
        onExit={() => {}}
        theme={monoTheme}
        size={{ columns: 120, rows: 40 }}
      />
    </ClipboardContext.Provider>,
  );
  await waitText(r.lastFrame, 'Corporate LDAP');
  await press(r.stdin, tab);
  await waitText(r.lastFrame, tab === '3' ? 'USERNAME' : 'EMAIL');
  await press(r.stdin, key);
  await waitText(r.lastFrame, title);
  return { ...r, ...spy, copies };
}

const DIALOGS = [
  { name: 'Epinio user password reset', tab: '3', key: 'p', title: 'Reset password: admin' },
  { name: 'new Epinio user', tab: '3', key: 'a', title: 'Create Epinio user' },
  { name: 'Dex local user password', tab: '4', key: 'p', title: 'Dex local user password' },
  { name: 'new Dex local user', tab: '4', key: 'a', title: 'Add Dex local user' },
];

for (const d of DIALOGS) {
  test(`${d.name}: Ctrl+G shows a generated password once, Ctrl+Y copies exactly it, closing removes it`, async () => {
    const app = await open(d.tab, d.key, d.title);
    assert.match(app.lastFrame()!, /generate a strong password/);
    await press(app.stdin, CTRL_G);
    const frame = await waitFor(app.lastFrame, (f) => GENERATED.test(f), 'the generated password');
    const pw = GENERATED.exec(frame)![1]!;
    assert.equal(pw.length, 20);
    assert.equal(frame.split(pw).length - 1, 1, 'shown once; the fields stay masked');
    assert.doesNotMatch(frame, /use at least 8|do not match/);
    await press(app.stdin, CTRL_Y);
    await waitText(app.lastFrame, 'copied');
    assert.deepEqual(app.copies, [pw]);
    await press(app.stdin, KEY.escape);
    await waitFor(app.lastFrame, (f) => !f.includes(d.title), 'the dialog closed');
    assert.ok(!app.lastFrame()!.includes(pw), 'gone from the screen with the dialog');
  });
}

test('editing the generated password hides it and disables the copy key', async () => {
  const app = await open('3', 'p', 'Reset password: admin');
  await press(app.stdin, CTRL_G);
  const pw = GENERATED.exec(await waitFor(app.lastFrame, (f) => GENERATED.test(f), 'generated'))![1]!;
  await press(app.stdin, KEY.backspace);
  await waitFor(app.lastFrame, (f) => !f.includes(pw.slice(0, 10)), 'the password hidden');
  await press(app.stdin, CTRL_Y);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(app.copies, [], 'nothing copied once it is no longer the field value');
});

test('a reset with the generated password stores a hash that verifies against it', async () => {
  const app = await open('3', 'p', 'Reset password: admin');
  await press(app.stdin, CTRL_G);
  const pw = GENERATED.exec(await waitFor(app.lastFrame, (f) => GENERATED.test(f), 'generated'))![1]!;
  await press(app.stdin, KEY.enter);
  await waitText(app.lastFrame, 'Set the password of admin?');
  await press(app.stdin, KEY.tab, KEY.enter);
  await waitFor(app.lastFrame, (f) => /set and verified/.test(f), 'verified status', 20000);
  const call = app.calls.find((c) => c.method === 'setUserPassword')!;
  assert.ok(await verifyPassword(pw, call.args[1] as string));
  assert.ok(!app.lastFrame()!.includes(pw), 'not in the status line');
});

test('osc52: the clipboard sequence carries the text base64-encoded', () => {
  assert.equal(osc52('pä$s'), `\x1b]52;c;${Buffer.from('pä$s').toString('base64')}\x07`);
});
