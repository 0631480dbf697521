// Every scripted command against the real kube-apiserver (test/stack): output formats, each exit
// code, refusals that write nothing, and that a password reaches neither output, argv nor the log.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { parse as parseYaml } from 'yaml';
import { adminClient, createTestNamespace, fixtureUsers, getStack } from '../stack/env.js';
import { ROOT, run as runLocal, type Result } from '../unit/cli/harness.js';

const OPS = fixtureUsers.find((u) => u.username === 'ops@example.com')!;
const JANE = fixtureUsers.find((u) => u.username === 'jane.doe@example.com')!;

let ns: string;
let kube: (identity?: 'admin' | 'viewer' | 'usersOnly' | 'none') => string[];
const run = (
  argv: string[],
  stdin?: string,
  identity: 'admin' | 'viewer' | 'usersOnly' | 'none' = 'admin',
): Promise<Result> => runLocal([...argv, ...kube(identity)], { stdin });

async function secret(name: string): Promise<{
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
  data: Record<string, string>;
}> {
  const res = await adminClient().get(`/api/v1/namespaces/${ns}/secrets/${name}`);
  assert.equal(res.status, 200);
  return res.body;
}
const decoded = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

before(async () => {
  const stack = getStack();
  ns = await createTestNamespace('commands', { fixtures: true });
  kube = (identity = 'admin') => [
    '--kubeconfig',
    stack.kubeconfigs[identity],
    '-n',
    ns,
    '--request-timeout',
    '20s',
  ];
});

describe('read commands on a cluster', () => {
  it('users list in table, json and yaml', async () => {
    const t = await run(['users', 'list']);
    assert.equal(t.code, 0, t.stderr);
    assert.equal(t.stderr, '');
    assert.match(t.stdout, /^USERNAME {2,}ROLES {2,}NAMESPACES {2,}PASSWORD {2,}SECRET {2,}NOTES\n/);
    for (const u of fixtureUsers)
      assert.match(t.stdout, new RegExp(`^${u.username.replace(/\./g, '\\.')} +.*${u.secretName}`, 'm'));
    const j = await run(['users', 'list', '-o', 'json']);
    const users = JSON.parse(j.stdout) as {
      username: string;
      secretName: string;
      roles: string[];
      hasPassword: boolean;
      duplicate: boolean;
    }[];
    assert.deepEqual(
      users.map((u) => [u.username, u.secretName, u.roles.join(','), u.hasPassword, u.duplicate]).sort(),
      fixtureUsers.map((u) => [u.username, u.secretName, u.roles, u.hash !== undefined, false]).sort(),
    );
    const y = await run(['users', 'list', '-o', 'yaml']);
    assert.deepEqual(parseYaml(y.stdout), users);
    assert.doesNotMatch(t.stdout + j.stdout + y.stdout, /\$2[aby]\$/);
  });

  it('roles, connectors, mappings and validate', async () => {
    const roles = JSON.parse((await run(['roles', 'list', '-o', 'json'])).stdout) as {
      id: string;
      source: string;
    }[];
    assert.deepEqual(roles[0], { ...roles[0], id: 'admin', source: 'builtin' });
    assert.ok(roles.some((r) => r.id === 'system_manager'));
    assert.deepEqual(JSON.parse((await run(['connectors', 'list', '-o', 'json'])).stdout), [
      { id: 'github', type: 'github', name: 'GitHub', problems: 0 },
      { id: 'ldap', type: 'ldap', name: 'Corporate LDAP', problems: 0 },
    ]);
    const shown = await run(['connectors', 'show', 'ldap', '-o', 'yaml']);
    assert.equal(shown.code, 0);
    assert.match(shown.stdout, /bindPW: "\*\*\*"/);
    assert.doesNotMatch(shown.stdout, /fake-bind-password/);
    const mappings = JSON.parse((await run(['mappings', 'list', '-o', 'json'])).stdout) as {
      format: string;
      entries: { connectorId: string }[];
    };
    assert.equal(mappings.format, 'modern');
    assert.deepEqual(
      mappings.entries.map((e) => e.connectorId),
      ['github', 'ldap', 'local'],
    );
    const sim = JSON.parse(
      (await run(['mappings', 'simulate', '--connector', 'ldap', '--group', 'epinio-viewers', '-o', 'json']))
        .stdout,
    ) as { roles: string[] };
    assert.deepEqual(sim.roles, ['view_only']);
    const v = await run(['validate', '-o', 'json']);
    const problems = JSON.parse(v.stdout) as { errors: unknown[]; warnings: unknown[] };
    assert.equal(v.code, problems.errors.length ? 1 : 0);
    assert.ok(Array.isArray(problems.warnings));
  });
});

describe('exit codes', () => {
  it('2: usage errors, before contacting the cluster', async () => {
    assert.deepEqual(await run(['users', 'list', '--bogus']), {
      code: 2,
      stdout: '',
      stderr: "error: unknown flag --bogus\nhint: run 'epinio-dex-admin users list --help' for usage\n",
    });
  });

  it('3: forbidden, with the kubectl auth can-i hint', async () => {
    const before = await secret(OPS.secretName);
    const r = await run(['users', 'set-roles', OPS.username, '--role', 'admin'], undefined, 'viewer');
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(
      lines[0],
      new RegExp(
        `^error: forbidden: cannot (patch|update) secrets "${OPS.secretName}" in namespace "${ns}": `,
      ),
    );
    assert.match(
      lines[1],
      new RegExp(
        `^hint: check your rights with: kubectl auth can-i (patch|update) secrets/${OPS.secretName} -n ${ns}$`,
      ),
    );
    assert.equal((await secret(OPS.secretName)).metadata.resourceVersion, before.metadata.resourceVersion);
    const none = await run(['users', 'list'], undefined, 'none');
    assert.equal(none.code, 3, none.stderr);
  });

  it('4: not found (unknown user, connector, backup, a namespace without Epinio)', async () => {
    assert.deepEqual(await run(['users', 'set-roles', 'nobody@example.com', '--role', 'admin']), {
      code: 4,
      stdout: '',
      stderr: 'error: user "nobody@example.com" not found\nhint: list the users with `users list`\n',
    });
    assert.equal((await run(['connectors', 'show', 'gitlab'])).code, 4);
    assert.equal((await run(['backups', 'restore', 'no-such-backup'])).code, 4);
    const empty = await createTestNamespace('commands-empty');
    const r = await runLocal(['users', 'list', '--kubeconfig', getStack().kubeconfigs.admin, '-n', empty]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, new RegExp(`^error: .*"dex-config" not found in namespace "${empty}"`));
  });

  it('5: conflict when the user already exists', async () => {
    assert.deepEqual(await run(['users', 'create', OPS.username, '--no-password']), {
      code: 5,
      stdout: '',
      stderr: `error: user "${OPS.username}" already exists (Secret ${OPS.secretName}); nothing was written\nhint: change it with \`users set-password\` or \`users set-roles\`\n`,
    });
  });

  it('1: unknown role, read-only mode, bad passwords — nothing written', async () => {
    const rv = (await secret(OPS.secretName)).metadata.resourceVersion;
    assert.deepEqual(await run(['users', 'set-roles', OPS.username, '--role', 'superuser']), {
      code: 1,
      stdout: '',
      stderr:
        'error: unknown role "superuser": Epinio skips unknown roles; nothing was written\nhint: known roles: admin, application_developer, application_manager, blank, system_manager, user, view_only\n',
    });
    assert.deepEqual(await run(['users', 'set-roles', OPS.username, '--role', 'admin', '--read-only']), {
      code: 1,
      stdout: '',
      stderr:
        'error: read-only: started with --read-only; nothing was written\nhint: run without --read-only to change anything\n',
    });
    const pw = ['users', 'set-password', OPS.username, '--password-stdin'];
    assert.deepEqual(await run(pw, ''), { code: 1, stdout: '', stderr: 'error: no password on stdin\n' });
    assert.deepEqual(await run(pw, `${'x'.repeat(73)}\n`), {
      code: 1,
      stdout: '',
      stderr:
        'error: the password is 73 bytes long in UTF-8; bcrypt ignores every byte after the 72nd, so Epinio and Dex refuse it: use at most 72 bytes (fewer characters when they are not ASCII)\n',
    });
    assert.equal((await secret(OPS.secretName)).metadata.resourceVersion, rv);
  });
});

describe('writes', () => {
  it('set-roles writes the annotation; set-password writes a verifiable hash', async () => {
    const r = await run([
      'users',
      'set-roles',
      JANE.username,
      '--role',
      'view_only',
      '--role',
      'admin:team-blue',
      '-o',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { roles: string[] }).roles, ['admin:team-blue', 'view_only']);
    assert.equal(
      (await secret(JANE.secretName)).metadata.annotations?.['epinio.io/roles'],
      'admin:team-blue,view_only',
    );

    const p = await run(
      ['users', 'set-password', JANE.username, '--password-stdin', '--cost', '10', '-o', 'yaml'],
      'integration-pw-1\n',
    );
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(parseYaml(p.stdout), {
      username: JANE.username,
      secretName: JANE.secretName,
      cost: 10,
      dryRun: false,
    });
    assert.ok(bcrypt.compareSync('integration-pw-1', decoded((await secret(JANE.secretName)).data.password)));
  });

  it('dex restart without --wait starts a rollout', async () => {
    const r = await run(['dex', 'restart', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(typeof (JSON.parse(r.stdout) as { phase: string }).phase, 'string');
    const dep = await adminClient().get(`/apis/apps/v1/namespaces/${ns}/deployments/dex`);
    assert.ok(dep.body.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
    assert.deepEqual(await run(['dex', 'restart', '--read-only']), {
      code: 1,
      stdout: '',
      stderr:
        'error: read-only: started with --read-only; nothing was written\nhint: run without --read-only to change anything\n',
    });
    const backups = await run(['backups', 'list', '-o', 'json']);
    assert.equal(backups.code, 0, backups.stderr);
    assert.ok(Array.isArray(JSON.parse(backups.stdout)));
  });

  it('a password never reaches output, argv or the debug log', () => {
    const password = 'Never-Leak-This-9';
    const log = join(mkdtempSync(join(tmpdir(), 'eda-debug-')), 'debug.log');
    const argv = [
      '--import',
      'tsx',
      join(ROOT, 'test/unit/cli/entry.ts'),
      'users',
      'set-password',
      OPS.username,
      '--password-stdin',
      '--debug',
      log,
      ...kube(),
    ];
    assert.ok(!argv.join(' ').includes(password));
    const r = spawnSync(process.execPath, argv, {
      cwd: ROOT,
      input: `${password}\n`,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const logText = readFileSync(log, 'utf8');
    assert.ok(logText.length > 0);
    for (const text of [r.stdout, r.stderr, logText]) {
      assert.ok(!text.includes(password));
      assert.doesNotMatch(text, /\$2[aby]\$\d\d\$/);
    }
  });
});
