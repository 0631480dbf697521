// Keys that reach the program in one stdin read are each handled (type-ahead), escape sequences
// batched with letters too, and a paste into a text field inserts all of its text.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { interpretInput, NO_KEY, PASTE_END, PASTE_START, type KeyPress } from '../../../source/ui/keys.js';
import { KEY, press, renderApp, spiedDemoStore, waitFor, waitText } from './helpers.js';

afterEach(() => cleanup());

const names = (keys: KeyPress[]) => keys.map((k) => k.name);

test('interpretInput: a plain chunk is one key per character, control characters included', () => {
  assert.deepEqual(names(interpretInput('jjj', 'jjj', NO_KEY, null).keys), ['j', 'j', 'j']);
  assert.deepEqual(names(interpretInput('j\r', 'j\r', NO_KEY, null).keys), ['j', 'enter']);
  assert.deepEqual(names(interpretInput('aB \t\x7f\x03', 'aB \t\x7f\x03', NO_KEY, null).keys), [
    'a',
    'B',
    'space',
    'tab',
    'delete',
    'ctrl+c',
  ]);
  assert.deepEqual(
    names(interpretInput('山👩‍👩‍👧', '山👩‍👩‍👧', NO_KEY, null).keys),
    ['山', '👩‍👩‍👧'],
    'graphemes stay whole',
  );
  // One key stays exactly what Ink parsed.
  assert.deepEqual(names(interpretInput('j', 'j', NO_KEY, null).keys), ['j']);
  assert.deepEqual(names(interpretInput('\x1b[H', '', { ...NO_KEY, home: true }, null).keys), ['home']);
  assert.deepEqual(names(interpretInput('\x1b[B', '', { ...NO_KEY, downArrow: true }, null).keys), ['down']);
});

test('interpretInput: ESC typed ahead of a letter is Escape then the letter; unknown sequences are no text', () => {
  assert.deepEqual(names(interpretInput('\x1bq', 'q', { ...NO_KEY, meta: true }, null).keys), [
    'escape',
    'q',
  ]);
  assert.deepEqual(interpretInput('\x1b[15~', '[15~', NO_KEY, null).keys, [], 'F5 inserts nothing');
});

test('interpretInput: a bracketed paste is one paste key with all its text', () => {
  let s = interpretInput(PASTE_START, '[200~', NO_KEY, null);
  assert.deepEqual(s.keys, []);
  s = interpretInput('ab\rcd', 'ab\rcd', NO_KEY, s.pasting);
  s = interpretInput('\x1b[31m', '', NO_KEY, s.pasting);
  s = interpretInput('ef', 'ef', NO_KEY, s.pasting);
  s = interpretInput(PASTE_END, '[201~', NO_KEY, s.pasting);
  assert.deepEqual(
    s.keys.map((k) => [k.name, k.input]),
    [['paste', 'ab\ncdef']],
  );
  assert.equal(s.pasting, null);
});

test('app: "jjj" in one read moves the Users cursor three rows', async () => {
  const { store } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '3');
  const usersShown = (f: string) => /\d+ of \d+ users/.test(f) && /USERNAME/.test(f) && /^> \S+/m.test(f);
  const before = await waitFor(lastFrame, usersShown, 'users list');
  const rows = before
    .split('USERNAME')[1]!
    .split('\n')
    .filter((l) => /^[> ] \S/.test(l));
  const cursorRow = rows.findIndex((l) => l.startsWith('> '));
  const target = rows[cursorRow + 3]!.slice(2).split(/\s{2,}/)[0]!;
  stdin.write('jjj');
  await waitFor(lastFrame, (f) => f.includes(`> ${target}`), `the cursor on ${target}`);
});

test('app: "Home j Enter" in one read opens the second user', async () => {
  const { store } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '3');
  await waitFor(lastFrame, (x) => /\d+ of \d+ users/.test(x) && /USERNAME/.test(x), 'users');
  await press(stdin, 'j', 'j');
  const f = await waitFor(
    lastFrame,
    (x) => /^[ ] \S[\s\S]*^[ ] \S[\s\S]*^> \S/m.test(x.split('USERNAME')[1] ?? ''),
    'the cursor on the third user',
  );
  const rows = f
    .split('USERNAME')[1]!
    .split('\n')
    .filter((l) => /^[> ] \S/.test(l));
  const second = rows[1]!.slice(2).split(/\s{2,}/)[0]!;
  stdin.write(`\x1b[Hj\r`);
  await waitFor(lastFrame, (x) => x.includes('╭') && x.includes(`User ${second}`), `the detail of ${second}`);
});

test('app: a paste into a text field inserts all of it (plain chunk and bracketed paste)', async () => {
  const { store } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '3', 'p');
  await waitText(lastFrame, 'Reset password');
  stdin.write('abcdefgh');
  await waitText(lastFrame, '••••••••');
  await press(stdin, KEY.tab);
  stdin.write(`${PASTE_START}abc\rdefgh${PASTE_END}`);
  const bullets = (f: string) => [...f.matchAll(/•+/g)].map((m) => m[0].length);
  const frame = await waitFor(
    lastFrame,
    (f) => bullets(f).length === 2 && bullets(f)[1]! > 0,
    'both fields filled',
  );
  // "abc defgh": the line break became a space; the paste markers inserted nothing.
  assert.deepEqual(bullets(frame), [8, 9]);
  assert.match(frame, /Reset password/, 'a newline inside a bracketed paste does not press Enter');
});

test('text editing moves and deletes whole characters (emoji, combining accents)', async () => {
  const { editText, textState } = await import('../../../source/ui/input/textEdit.js');
  let t = textState('a🚀e\u0301');
  assert.equal(t.cursor, 5);
  t = editText(t, 'left', '')!;
  assert.equal(t.cursor, 3, 'over e + combining accent');
  t = editText(t, 'left', '')!;
  assert.equal(t.cursor, 1, 'over the emoji (two code units)');
  t = editText(t, 'right', '')!;
  t = editText(t, 'backspace', '')!;
  assert.deepEqual(t, { value: 'ae\u0301', cursor: 1 });
});
