// The entry: version, help, usage errors (exit 2 with an exact message and hint), and the refusal
// to start the TUI without a terminal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NO_TTY_MESSAGE } from '../../../source/cli.js';
import { ROOT, run, spawnCli } from './harness.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('cli entry', () => {
  it('prints the version', async () => {
    assert.deepEqual(await run(['--version']), {
      code: 0,
      stdout: `epinio-dex-admin ${VERSION}\n`,
      stderr: '',
    });
  });

  it('prints global help with every command and global flag', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    for (const text of [
      'users set-password USERNAME',
      'mappings simulate',
      'backups restore ID',
      '-n, --namespace NS',
      '--request-timeout DURATION',
      '-o, --output FORMAT',
      'Exit codes: 0 ok, 1 failure or validation errors, 2 usage error, 3 forbidden, 4 not found, 5 conflict; dex restart --wait: 6 failed, 7 timed out; diff -f: 8 drift, 9 invalid, 10 unreachable.',
    ]) {
      assert.ok(r.stdout.includes(text), text);
    }
    assert.equal((await run(['help'])).stdout, r.stdout);
  });

  it('prints help for a group and for a command, with the program name it was called by', async () => {
    const group = await run(['users', '--help']);
    assert.equal(group.code, 0);
    assert.match(group.stdout, /^epinio-dex-admin users: Epinio users \(user Secrets\)\n/);
    const cmd = await run(['users', 'set-password', '-h'], { programName: 'kubectl epinio-dex' });
    assert.equal(cmd.code, 0);
    assert.equal(
      cmd.stdout,
      [
        'Usage: kubectl epinio-dex users set-password USERNAME [flags] [global flags]',
        '',
        "Set a user's password (bcrypt).",
        '',
        'The password comes from stdin with --password-stdin, or from a masked prompt (asked twice) when stdin is a terminal. It is never accepted as an argument or environment variable.',
        '',
        'Flags:',
        '      --password-stdin   read the password from stdin (one trailing newline is removed)',
        '      --cost N           bcrypt cost, 10 to 14 (default: 10)',
        '      --dry-run          check and hash the password, but write nothing',
        '',
        'Examples:',
        '  kubectl epinio-dex users set-password admin --password-stdin < password.txt',
        '',
        "Global flags: see 'kubectl epinio-dex --help'.",
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      await run(['help', 'users', 'set-password'], { programName: 'kubectl epinio-dex' }),
      cmd,
    );
  });

  const usage = async (argv: string[], stderr: string) =>
    assert.deepEqual(await run(argv), { code: 2, stdout: '', stderr });

  it('rejects usage errors with exit 2, a message and a hint', async () => {
    await usage(['--bogus'], "error: unknown flag --bogus\nhint: run 'epinio-dex-admin --help' for usage\n");
    await usage(
      ['users', 'list', '--bogus'],
      "error: unknown flag --bogus\nhint: run 'epinio-dex-admin users list --help' for usage\n",
    );
    await usage(
      ['frobnicate'],
      'error: unknown command "frobnicate" (commands: validate, export, diff, apply, completion, connectors, mappings, users, roles, dex-users, dex, backups, logins, history)\nhint: run \'epinio-dex-admin --help\' for usage\n',
    );
    await usage(
      ['users'],
      'error: "users" needs a command: list, set-password, set-roles, create, delete, explain, report\nhint: run \'epinio-dex-admin users --help\' for usage\n',
    );
    await usage(
      ['users', 'lst'],
      'error: unknown command "users lst" (choose list, set-password, set-roles, create, delete, explain, report)\nhint: run \'epinio-dex-admin users --help\' for usage\n',
    );
    await usage(
      ['users', 'set-roles'],
      "error: missing argument USERNAME\nhint: run 'epinio-dex-admin users set-roles --help' for usage\n",
    );
    await usage(
      ['users', 'list', 'extra'],
      'error: unexpected argument "extra"\nhint: run \'epinio-dex-admin users list --help\' for usage\n',
    );
    await usage(
      ['users', 'list', '-o', 'xml'],
      'error: invalid value "xml" for --output (choose table, json or yaml; csv for users report)\nhint: run \'epinio-dex-admin users list --help\' for usage\n',
    );
    await usage(
      ['validate', '--request-timeout', 'soon'],
      'error: invalid duration "soon" (use e.g. 30s, 1m, 500ms, or a number of seconds) for --request-timeout\nhint: run \'epinio-dex-admin validate --help\' for usage\n',
    );
    await usage(
      ['users', 'delete', 'bob', '--file', 'x.yaml'],
      'error: refusing to delete user "bob" without --yes\nhint: run \'epinio-dex-admin users delete --help\' for usage\n',
    );
    await usage(
      ['mappings', 'simulate', '--file', 'x.yaml'],
      "error: --connector ID is required\nhint: run 'epinio-dex-admin mappings simulate --help' for usage\n",
    );
  });

  it('needs a terminal for the interactive UI', async () => {
    const expected = `${NO_TTY_MESSAGE}\n`;
    assert.equal(
      NO_TTY_MESSAGE,
      'error: the interactive UI needs a terminal (stdin and stdout must be a TTY). Use the scripted commands instead, e.g. `epinio-dex-admin users list -o json`; see --help.',
    );
    assert.deepEqual(await run([]), { code: 2, stdout: '', stderr: expected });
    assert.deepEqual(await run(['--demo'], { stdinTTY: true }), { code: 2, stdout: '', stderr: expected });
    assert.deepEqual(await run(['-n', 'x'], { stdoutTTY: true }), { code: 2, stdout: '', stderr: expected });
  });

  it('exits with the same codes and text as a real process', () => {
    assert.deepEqual(spawnCli([]), { code: 2, stdout: '', stderr: `${NO_TTY_MESSAGE}\n` });
    assert.deepEqual(spawnCli(['users', 'frob']), {
      code: 2,
      stdout: '',
      stderr:
        'error: unknown command "users frob" (choose list, set-password, set-roles, create, delete, explain, report)\nhint: run \'epinio-dex-admin users --help\' for usage\n',
    });
    assert.deepEqual(spawnCli(['--version']), {
      code: 0,
      stdout: `epinio-dex-admin ${VERSION}\n`,
      stderr: '',
    });
  });
});
