// The writing user commands on a private copy of the fixture manifest: passwords from stdin and
// from the masked prompt, every refusal with its exact message, and that a refusal writes nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { runCli } from '../../../source/cli.js';
import type { InStream } from '../../../source/commands/context.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import { fixtureCopy, run } from './harness.js';

const OPS_SECRET = 'ruser-opsexamplecom-07af648d167b54fafea301c0c796cf760a9fccaf';

async function storedUser(file: string, username: string) {
  const store = await createFileStore(file, { namespace: 'epinio' });
  return (await store.listUsers()).find((u) => u.data.username === username);
}

/** A refused command: exact exit code and stderr, nothing on stdout, the file byte-identical. */
async function refused(argv: string[], code: number, stderr: string, input?: string) {
  const file = fixtureCopy();
  const before = readFileSync(file, 'utf8');
  assert.deepEqual(await run([...argv, '--file', file], { stdin: input }), { code, stdout: '', stderr });
  assert.equal(readFileSync(file, 'utf8'), before);
}

describe('users set-password', () => {
  it('hashes the stdin password (one newline stripped) and prints no secret', async () => {
    const file = fixtureCopy();
    const r = await run(
      ['users', 'set-password', 'ops@example.com', '--password-stdin', '--file', file, '-o', 'json'],
      { stdin: 'correct horse battery\n' },
    );
    assert.deepEqual(r, {
      code: 0,
      stderr: '',
      stdout: `{\n  "username": "ops@example.com",\n  "secretName": "${OPS_SECRET}",\n  "cost": 10,\n  "dryRun": false\n}\n`,
    });
    const hash = (await storedUser(file, 'ops@example.com'))!.data.password;
    assert.match(hash, /^\$2b\$10\$/);
    assert.ok(bcrypt.compareSync('correct horse battery', hash));
    assert.ok(!bcrypt.compareSync('correct horse battery\n', hash));
  });

  it('keeps a second trailing newline only as part of a refusal (two lines)', async () => {
    await refused(
      ['users', 'set-password', 'ops@example.com', '--password-stdin'],
      1,
      'error: the password on stdin has more than one line; give exactly one line\n',
      'long-enough\n\n',
    );
  });

  it('honours --cost and --dry-run', async () => {
    const file = fixtureCopy();
    const before = readFileSync(file, 'utf8');
    const r = await run(
      [
        'users',
        'set-password',
        'ops@example.com',
        '--password-stdin',
        '--cost',
        '10',
        '--dry-run',
        '--file',
        file,
      ],
      { stdin: 'long-enough-pw' },
    );
    assert.deepEqual(r, {
      code: 0,
      stderr: '',
      stdout:
        'dry run: the password for "ops@example.com" is acceptable and was hashed (bcrypt cost 10); nothing was written\n',
    });
    assert.equal(readFileSync(file, 'utf8'), before);
    // A dry run writes nothing, so it is allowed in read-only mode.
    assert.equal(
      (
        await run(
          [
            'users',
            'set-password',
            'ops@example.com',
            '--password-stdin',
            '--dry-run',
            '--read-only',
            '--file',
            file,
          ],
          { stdin: 'long-enough-pw' },
        )
      ).code,
      0,
    );
  });

  it('refuses bad passwords with the reason, writing nothing', async () => {
    const cmd = ['users', 'set-password', 'ops@example.com', '--password-stdin'];
    await refused(cmd, 1, 'error: no password on stdin\n', '');
    await refused(cmd, 1, 'error: no password on stdin\n', '\n');
    await refused(
      cmd,
      1,
      'error: password rejected: the password has 5 characters; use at least 8\n',
      'short\n',
    );
    await refused(
      cmd,
      1,
      'error: the password is 73 bytes long in UTF-8; bcrypt ignores every byte after the 72nd, so Epinio and Dex refuse it: use at most 72 bytes (fewer characters when they are not ASCII)\n',
      `${'a'.repeat(73)}\n`,
    );
    // 36 two-byte letters are 72 bytes: accepted length; 37 are 74 bytes.
    await refused(
      cmd,
      1,
      'error: the password is 74 bytes long in UTF-8; bcrypt ignores every byte after the 72nd, so Epinio and Dex refuse it: use at most 72 bytes (fewer characters when they are not ASCII)\n',
      'é'.repeat(37),
    );
    await refused(
      cmd,
      1,
      'error: the password on stdin is not valid UTF-8\n',
      Buffer.from([0x61, 0xff, 0x62]) as unknown as string,
    );
  });

  it('refuses bad flags, unknown users and read-only mode before reading a password', async () => {
    await refused(
      ['users', 'set-password', 'ops@example.com', '--password-stdin', '--cost', '9'],
      2,
      'error: invalid value "9" for --cost (choose 10, 11, 12, 13, 14; both Epinio and Dex accept these)\nhint: run \'epinio-dex-admin users set-password --help\' for usage\n',
      'long-enough-pw',
    );
    await refused(
      ['users', 'set-password', 'nobody', '--password-stdin'],
      4,
      'error: user "nobody" not found\nhint: list the users with `users list`\n',
      'long-enough-pw',
    );
    await refused(
      ['users', 'set-password', 'OPS@example.com', '--password-stdin'],
      4,
      'error: user "OPS@example.com" not found\nhint: usernames are case-sensitive; did you mean "ops@example.com"?\n',
      'long-enough-pw',
    );
    await refused(
      ['users', 'set-password', 'ops@example.com', '--password-stdin', '--read-only'],
      1,
      'error: read-only: started with --read-only; nothing was written\nhint: run without --read-only to change anything\n',
      'long-enough-pw',
    );
  });

  it('never takes a password from a pipe without --password-stdin', async () => {
    await refused(
      ['users', 'set-password', 'ops@example.com'],
      2,
      'error: no password given: pipe it to --password-stdin (a password is never accepted as an argument)\nhint: printf \'%s\' "$PASSWORD" | epinio-dex-admin users set-password ops@example.com --password-stdin\n',
      'long-enough-pw\n',
    );
  });
});

/** A fake terminal: raw mode is recorded, keystrokes are fed after the prompt appears. */
async function prompted(argv: string[], keys: string[]) {
  const stdin = new PassThrough() as PassThrough & InStream;
  const raw: boolean[] = [];
  stdin.isTTY = true;
  stdin.setRawMode = (mode: boolean) => raw.push(mode);
  let err = '';
  let prompts = 0;
  const stderr = {
    isTTY: true,
    write(s: string) {
      err += s;
      if (/password[^\n]*: $/i.test(s)) stdin.write(keys[prompts++] ?? '\u0003');
      return true;
    },
  };
  let out = '';
  const stdout = { isTTY: false, write: (s: string) => ((out += s), true) };
  const code = await runCli(argv, { stdin, stdout, stderr, env: {}, programName: 'epinio-dex-admin' });
  return { code, stdout: out, stderr: err, raw };
}

describe('interactive password prompt', () => {
  it('asks twice with masked echo and restores the terminal', async () => {
    const file = fixtureCopy();
    const r = await prompted(
      ['users', 'set-password', 'ops@example.com', '--file', file],
      ['secret-pw1\r', 'secret-pwX\u007f1\r'],
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      'New password for ops@example.com: **********\nRepeat the password: **********\b \b*\n',
    );
    assert.deepEqual(r.raw, [true, false, true, false]);
    assert.ok(bcrypt.compareSync('secret-pw1', (await storedUser(file, 'ops@example.com'))!.data.password));
  });

  it('refuses a mismatch and a cancel, writing nothing', async () => {
    const file = fixtureCopy();
    const before = readFileSync(file, 'utf8');
    const mismatch = await prompted(
      ['users', 'set-password', 'ops@example.com', '--file', file],
      ['secret-pw1\r', 'secret-pw2\r'],
    );
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.stderr, /\nerror: the passwords do not match; nothing was written\n$/);
    const cancel = await prompted(
      ['users', 'set-password', 'ops@example.com', '--file', file],
      ['sec\u0003'],
    );
    assert.equal(cancel.code, 1);
    assert.equal(
      cancel.stderr,
      'New password for ops@example.com: ***\nerror: cancelled; nothing was written\n',
    );
    assert.deepEqual(cancel.raw, [true, false]);
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});

describe('users set-roles', () => {
  it('writes the sorted, de-duplicated annotation and prints the user', async () => {
    const file = fixtureCopy();
    const r = await run([
      'users',
      'set-roles',
      'ops@example.com',
      '--role',
      'view_only',
      '--role',
      'admin:team-blue',
      '--role',
      'view_only',
      '--file',
      file,
      '-o',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const user = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(
      [user.username, user.secretName, user.roles, user.hasPassword, user.duplicate],
      ['ops@example.com', OPS_SECRET, ['admin:team-blue', 'view_only'], true, false],
    );
    assert.equal(
      (await storedUser(file, 'ops@example.com'))!.annotations['epinio.io/roles'],
      'admin:team-blue,view_only',
    );
  });

  it('warns when the change may be overwritten', async () => {
    const r = await run(['users', 'set-roles', 'admin', '--role', 'admin', '--file', fixtureCopy()]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'roles of "admin" set to admin\n');
    assert.equal(
      r.stderr,
      'warning: Secret "ruser-admin-f585ef20266ee6e88d327c03c1c1b77d4fef6340" is managed by Helm; a `helm upgrade` may overwrite this change\n',
    );
  });

  it('refuses unknown roles and malformed values, writing nothing', async () => {
    await refused(
      ['users', 'set-roles', 'ops@example.com', '--role', 'view_only', '--role', 'superuser'],
      1,
      'error: unknown role "superuser": Epinio skips unknown roles; nothing was written\nhint: known roles: admin, application_developer, application_manager, blank, system_manager, user, view_only\n',
    );
    await refused(
      ['users', 'set-roles', 'ops@example.com', '--role', 'admin, user'],
      1,
      'error: invalid role "admin, user": a role is one id (or id:namespace), without commas or spaces; nothing was written\n',
    );
    await refused(
      ['users', 'set-roles', 'ops@example.com', '--role', 'admin:Team_X'],
      1,
      'error: invalid namespace "Team_X" in role "admin:Team_X": a Kubernetes namespace is lower-case letters, digits and \'-\'; nothing was written\n',
    );
    await refused(
      ['users', 'set-roles', 'ops@example.com'],
      2,
      "error: at least one --role is required\nhint: run 'epinio-dex-admin users set-roles --help' for usage\n",
    );
    await refused(
      ['users', 'set-roles', 'nobody', '--role', 'admin'],
      4,
      'error: user "nobody" not found\nhint: list the users with `users list`\n',
    );
    await refused(
      ['users', 'set-roles', 'ops@example.com', '--role', 'admin', '--read-only'],
      1,
      'error: read-only: started with --read-only; nothing was written\nhint: run without --read-only to change anything\n',
    );
  });
});

describe('users create and delete', () => {
  it('creates a user with a password and deletes it', async () => {
    const file = fixtureCopy();
    const created = await run(
      [
        'users',
        'create',
        'dev@example.com',
        '--role',
        'user',
        '--password-stdin',
        '--cost',
        '10',
        '--file',
        file,
        '-o',
        'json',
      ],
      { stdin: 'dev-password-1\n' },
    );
    assert.equal(created.code, 0, created.stderr);
    const value = JSON.parse(created.stdout) as Record<string, unknown>;
    assert.match(value.secretName as string, /^ruser-devexamplecom-[0-9a-f]{40}$/);
    assert.deepEqual(
      { ...value, secretName: undefined },
      {
        username: 'dev@example.com',
        secretName: undefined,
        roles: ['user'],
        hasPassword: true,
        cost: 10,
        dryRun: false,
      },
    );
    const secret = (await storedUser(file, 'dev@example.com'))!;
    assert.ok(bcrypt.compareSync('dev-password-1', secret.data.password));
    assert.equal(secret.annotations['epinio.io/roles'], 'user');

    await refused(
      ['users', 'create', 'ops@example.com', '--no-password'],
      5,
      'error: user "ops@example.com" already exists (Secret ruser-opsexamplecom-07af648d167b54fafea301c0c796cf760a9fccaf); nothing was written\nhint: change it with `users set-password` or `users set-roles`\n',
    );

    assert.deepEqual(
      await run(['users', 'delete', 'dev@example.com', '--yes', '--file', file, '-o', 'json']),
      {
        code: 0,
        stderr: '',
        stdout: `{\n  "username": "dev@example.com",\n  "secretName": "${secret.name}",\n  "deleted": true\n}\n`,
      },
    );
    assert.equal(await storedUser(file, 'dev@example.com'), undefined);
  });

  it('creates a Dex-only user without a password', async () => {
    const file = fixtureCopy();
    const r = await run(['users', 'create', 'sso@example.com', '--no-password', '--file', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^user "sso@example\.com" created \(Secret ruser-ssoexamplecom-[0-9a-f]{40}\)\n$/);
    assert.equal((await storedUser(file, 'sso@example.com'))!.data.password, undefined);
  });

  it('refuses bad input, writing nothing', async () => {
    await refused(
      ['users', 'create', ' bob'],
      1,
      'error: invalid username " bob": no leading or trailing spaces or control characters (Epinio matches usernames exactly)\n',
    );
    await refused(
      ['users', 'create', 'bob', '--no-password', '--password-stdin'],
      2,
      "error: --no-password and --password-stdin cannot be used together\nhint: run 'epinio-dex-admin users create --help' for usage\n",
    );
    await refused(
      ['users', 'create', 'bob', '--role', 'nope', '--no-password'],
      1,
      'error: unknown role "nope": Epinio skips unknown roles; nothing was written\nhint: known roles: admin, application_developer, application_manager, blank, system_manager, user, view_only\n',
    );
    await refused(['users', 'create', 'bob', '--password-stdin'], 1, 'error: no password on stdin\n', '');
    await refused(
      ['users', 'delete', 'nobody', '--yes'],
      4,
      'error: user "nobody" not found\nhint: list the users with `users list`\n',
    );
    await refused(
      ['users', 'delete', 'ops@example.com', '--yes', '--read-only'],
      1,
      'error: read-only: started with --read-only; nothing was written\nhint: run without --read-only to change anything\n',
    );
  });
});
