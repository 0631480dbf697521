// The two faces on the same bad input: a role or a username the CLI refuses (`users set-roles`,
// `users create`) is refused by the TUI's dialog with the same words, and what one accepts the
// other accepts. Both run on the same demo manifest file; nothing is written on a refusal.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { cleanup } from 'ink-testing-library';
import { runCli } from '../../../source/cli.js';
import { KEY, press, renderApp, spiedDemoStore, type, waitFor, waitText, writes } from './helpers.js';

afterEach(() => cleanup());

const CTRL_U = '\x15';

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: () => true },
    stderr: { write: (s: string) => ((stderr += s), true) },
    stdin: process.stdin,
    env: {},
    programName: 'epinio-dex-admin',
  });
  return { code, stderr };
}

/** "error: <message>[; nothing was written]" and "hint: <hint>" of the CLI, as the TUI words them. */
function refusal(stderr: string): string {
  const message = /^error: (.*?)(; nothing was written)?$/m.exec(stderr)?.[1];
  assert.ok(message, `the CLI refused with an error line:\n${stderr}`);
  const hint = /^hint: (.*)$/m.exec(stderr)?.[1];
  return hint ? `${message} (${hint})` : message;
}

/** The frame's text without the dialog border, wrapped lines joined. */
const flat = (frame: string) =>
  frame
    .split('\n')
    .map((l) => l.replace(/^│ ?/, '').replace(/ ?│$/, '').trim())
    .join(' ')
    .replace(/\s+/g, ' ');

// Not "admin,": the dialog's field is a comma-separated list (a trailing comma ends it), while
// one --role value is one role, so that text is not the same input for the two faces.
const BAD_ROLES = ['bogus', 'admin:Team_Blue', 'user x', 'admin:'];

for (const role of BAD_ROLES) {
  test(`role "${role}": the CLI and the roles dialog refuse it with the same words`, async () => {
    const { store, calls, path } = await spiedDemoStore();
    const before = await readFile(path, 'utf8');
    const out = await cli(['users', 'set-roles', 'admin', '--role', role, '--file', path]);
    assert.equal(out.code, 1, out.stderr);
    const words = refusal(out.stderr);
    assert.equal(await readFile(path, 'utf8'), before, 'the CLI wrote nothing');

    const { lastFrame, stdin } = renderApp(store);
    await waitText(lastFrame, 'Corporate LDAP');
    await press(stdin, '3', 'r');
    await waitText(lastFrame, 'Roles of admin');
    await press(stdin, CTRL_U);
    await type(stdin, role);
    await press(stdin, KEY.enter);
    const frame = await waitFor(lastFrame, (f) => flat(f).includes(words), `the dialog to say: ${words}`);
    assert.match(frame, /Roles of admin/, 'the dialog stays open');
    assert.deepEqual(writes(calls), []);
  });
}

test('username " admin2" (a leading space): the CLI and the create dialog refuse it with the same words', async () => {
  const { store, calls, path } = await spiedDemoStore();
  const before = await readFile(path, 'utf8');
  const out = await cli(['users', 'create', ' admin2', '--no-password', '--file', path]);
  assert.equal(out.code, 1, out.stderr);
  const words = refusal(out.stderr);
  assert.match(words, /^invalid username " admin2": /);
  assert.equal(await readFile(path, 'utf8'), before);

  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '3', 'a');
  await waitText(lastFrame, 'Create Epinio user');
  await type(stdin, ' admin2');
  await press(stdin, KEY.enter);
  await waitFor(lastFrame, (f) => flat(f).includes(words), `the dialog to say: ${words}`);
  assert.match(lastFrame()!, /nothing was written/);
  assert.deepEqual(writes(calls), []);
});

test('a scoped role both faces accept: admin:team-blue', async () => {
  const { store, path } = await spiedDemoStore();
  const out = await cli(['users', 'set-roles', 'admin', '--role', 'admin:team-blue', '--file', path]);
  assert.equal(out.code, 0, out.stderr);

  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '3', 'r');
  await waitText(lastFrame, 'Roles of admin');
  await press(stdin, CTRL_U);
  await type(stdin, 'admin:team-blue');
  await press(stdin, KEY.enter);
  await waitText(lastFrame, 'Set roles of admin?');
});
