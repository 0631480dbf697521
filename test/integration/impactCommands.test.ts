// users explain, the blast radius of --dry-run and the lockout guard, against the real
// kube-apiserver (test/stack) with the Epinio fixtures. This stack has no Dex CRDs, so the logins
// cannot be read: the commands say so in one line and work from the Secrets and the Dex local
// users (the real-login runs are test/integration/dex-logins*.test.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';
import { run, type Result } from '../unit/cli/harness.js';

/** The refusal's text after "error: WHAT: " when Dex local user admin@epinio.io is the only way in. */
const LOCAL_ADMIN_LOST = [
  'this save would lock every administrator out; it takes away:',
  '  - Dex local user "admin@epinio.io" (admin through its user Secret): Dex local user "admin@epinio.io" is not in staticPasswords',
  'to keep a way in:',
  '  - keep Dex local user "admin@epinio.io"',
  '  - or first give an administrator a password: `users create NAME --role admin` (or `users set-password NAME` for a user with role admin)',
  'nothing was written',
  'hint: review it with --dry-run; --allow-lockout saves it anyway',
  '',
].join('\n');

describe('impact commands against the API server', () => {
  let ns: string;
  let flags: string[];
  const cli = (argv: string[]): Promise<Result> => run([...argv, ...flags], { env: { NO_COLOR: '1' } });
  const dexVersion = async () => {
    const res = await adminClient().get(`/api/v1/namespaces/${ns}/secrets/dex-config`);
    return (res.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  };
  const userVersion = async () => {
    const res = await adminClient().get(
      `/api/v1/namespaces/${ns}/secrets?labelSelector=epinio.io/api-user-credentials=true`,
    );
    // Each Secret's own resourceVersion: the list's is the cluster-wide revision, which moves with
    // any write by the test files running alongside.
    const items = (res.body as { items: { metadata: { name: string; resourceVersion: string } }[] }).items;
    return items.map((i) => `${i.metadata.name}@${i.metadata.resourceVersion}`).join(' ');
  };

  before(async () => {
    ns = await createTestNamespace('impact', { fixtures: true });
    flags = ['--kubeconfig', getStack().kubeconfigs.admin, '-n', ns, '--request-timeout', '20s'];
  });

  it('users explain: the Secret, basic auth, no login known (said in one line), both semantics', async () => {
    const t = await cli(['users', 'explain', 'admin']);
    assert.equal(t.code, 0, t.stderr);
    const lines = t.stdout.split('\n');
    assert.match(lines[0]!, /^user admin \(Secret ruser-admin-/);
    assert.equal(lines[1], 'roles now: admin');
    assert.equal(lines[2], 'basic auth: password set: basic auth gets admin');
    assert.match(lines[3]!, /^logins: Dex logins cannot be read: /);
    assert.ok(
      t.stdout.includes('no login of "admin" is known: Epinio takes the groups from the login\'s token'),
    );
    assert.ok(
      t.stdout.includes('  next request: admin: nothing is mapped, so it keeps the roles of its Secret\n'),
    );
    const j = JSON.parse((await cli(['users', 'explain', 'admin', '-o', 'json'])).stdout) as {
      semantics: { semantics: string; withNoGroups: { roles: string[] } }[];
      loginsNote: string;
    };
    assert.equal(j.semantics.length, 2);
    assert.deepEqual(
      j.semantics.map((s) => s.withNoGroups.roles),
      [['admin'], ['admin']],
    );
    assert.match(j.loginsNote, /^Dex logins cannot be read: /);
    assert.deepEqual(await cli(['users', 'explain', 'nobody']), {
      code: 4,
      stdout: '',
      stderr:
        'error: user "nobody" not found: no user Secret, no recorded login and no Dex local user has this name\nhint: list the users with `users list`\n',
    });
  });

  it('a Dex local user admin: dry run shows the blast radius; removing it is refused, then allowed', async () => {
    const created = await cli(['users', 'create', 'admin@epinio.io', '--no-password', '--role', 'admin']);
    assert.equal(created.code, 0, created.stderr);
    // The password admin's admin role can go: admin@epinio.io (Dex local user, Secret with admin) stays a way in.
    const demoted = await cli(['users', 'set-roles', 'admin', '--role', 'user']);
    assert.equal(demoted.code, 0, demoted.stderr);

    const dex = await dexVersion();
    const dry = await cli(['dex-users', 'remove', 'admin@epinio.io', '--dry-run', '-o', 'json']);
    assert.equal(dry.code, 0, dry.stderr);
    const view = JSON.parse(dry.stdout) as { impact: Record<string, unknown> };
    assert.deepEqual(
      { ...view.impact, loginsNote: typeof view.impact.loginsNote },
      {
        summary: '1 of 2 known identities changes roles at the next request',
        known: 2,
        changes: [
          {
            email: 'admin@epinio.io',
            connectorId: 'local',
            from: 'static',
            before: 'admin',
            after: 'cannot log in',
            gainsAdmin: false,
            losesAdmin: true,
            why: 'Dex local user "admin@epinio.io" is not in staticPasswords',
          },
        ],
        lockout: {
          blocked: true,
          lost: [
            {
              wayIn: 'Dex local user "admin@epinio.io" (admin through its user Secret)',
              why: 'Dex local user "admin@epinio.io" is not in staticPasswords',
              keep: 'keep Dex local user "admin@epinio.io"',
            },
          ],
          advice: [
            'keep Dex local user "admin@epinio.io"',
            'or first give an administrator a password: `users create NAME --role admin` (or `users set-password NAME` for a user with role admin)',
          ],
        },
        loginsNote: 'string',
      },
    );
    const table = await cli(['dex-users', 'remove', 'admin@epinio.io', '--dry-run']);
    assert.match(
      table.stdout,
      /\nimpact: 1 of 2 known identities changes roles at the next request\n {2}\(Dex logins cannot be read: [^\n]*; only Dex local users and user Secrets were checked\)\n {2}- admin@epinio\.io \(local\): admin -> cannot log in \(loses admin\): Dex local user "admin@epinio\.io" is not in staticPasswords\nthis save would lock every administrator out/,
    );

    const refused = await cli(['dex-users', 'remove', 'admin@epinio.io']);
    assert.deepEqual(refused, {
      code: 1,
      stdout: '',
      stderr: `error: remove Dex local user admin@epinio.io: ${LOCAL_ADMIN_LOST}`,
    });
    assert.equal(await dexVersion(), dex, 'the refused save wrote nothing');

    const users = await userVersion();
    const del = await cli(['users', 'delete', 'admin@epinio.io', '--yes']);
    assert.equal(del.code, 1);
    assert.match(
      del.stderr,
      /^error: delete user "admin@epinio\.io": this save would lock every administrator out/,
    );
    assert.equal(await userVersion(), users, 'the refused delete wrote nothing');

    const allowed = await cli(['dex-users', 'remove', 'admin@epinio.io', '--allow-lockout']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(
      allowed.stderr,
      /warning: remove Dex local user admin@epinio\.io: saved with --allow-lockout/,
    );
    assert.notEqual(await dexVersion(), dex);
  });

  it('a saved state with no way in is not refused', async () => {
    // After the previous test nobody can get in; another edit is saved (the guard has nothing to protect).
    const r = await cli(['mappings', 'add-entry', 'keycloak']);
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('the lockout guard on key-level writes: backups restore and history rollback', () => {
  let ns: string;
  let flags: string[];
  const env = { NO_COLOR: '1' };
  const cli = (argv: string[], stdin?: string): Promise<Result> => run([...argv, ...flags], { env, stdin });
  const dexVersion = async () => {
    const res = await adminClient().get(`/api/v1/namespaces/${ns}/secrets/dex-config`);
    return (res.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  };

  before(async () => {
    ns = await createTestNamespace('keyguard', { fixtures: true });
    flags = ['--kubeconfig', getStack().kubeconfigs.admin, '-n', ns, '--request-timeout', '20s'];
  });

  it('a backup and a revision without the only way in: refused with what is lost, dry run previews it, --allow-lockout saves', async () => {
    // The only way in becomes Dex local user admin@epinio.io (admin through its Secret): the
    // password user admin is demoted.
    for (const argv of [
      ['users', 'create', 'admin@epinio.io', '--no-password', '--role', 'admin'],
      ['users', 'set-roles', 'admin', '--role', 'user'],
    ]) {
      const r = await cli(argv);
      assert.equal(r.code, 0, r.stderr);
    }
    // Removed (backup and revision: with it), then added back (backup and revision: without it).
    const removed = await cli(['dex-users', 'remove', 'admin@epinio.io', '--allow-lockout']);
    assert.equal(removed.code, 0, removed.stderr);
    const added = await cli(
      ['dex-users', 'add', 'admin@epinio.io', '--password-stdin'],
      'a long enough password\n',
    );
    assert.equal(added.code, 0, added.stderr);
    const backups = JSON.parse((await cli(['backups', 'list', '-o', 'json'])).stdout) as { id: string }[];
    const newest = backups[0]!.id;
    const revisions = JSON.parse((await cli(['history', 'list', '-o', 'json'])).stdout) as {
      revisions: { number: number; summary: string }[];
    };
    const addRevision = revisions.revisions[0]!.number;
    const dex = await dexVersion();

    const dry = await cli(['backups', 'restore', newest, '--dry-run', '-o', 'json']);
    assert.equal(dry.code, 0, dry.stderr);
    const view = JSON.parse(dry.stdout) as {
      edit: string;
      dryRun: boolean;
      saved: boolean;
      changed: string[];
      impact: { lockout: { blocked: boolean; lost: { wayIn: string }[] }; changes: { email: string }[] };
    };
    assert.equal(view.edit, `restore backup ${newest}`);
    assert.deepEqual([view.dryRun, view.saved, view.changed], [true, false, ['config.yaml']]);
    assert.equal(view.impact.lockout.blocked, true);
    assert.deepEqual(
      view.impact.lockout.lost.map((l) => l.wayIn),
      ['Dex local user "admin@epinio.io" (admin through its user Secret)'],
    );
    assert.deepEqual(
      view.impact.changes.map((c) => c.email),
      ['admin@epinio.io'],
    );

    // --force passes added validation errors, never a lockout.
    for (const [argv, describe] of [
      [['backups', 'restore', newest, '--force'], `restore backup ${newest}`],
      [['history', 'rollback', String(addRevision)], `roll back revision ${addRevision}`],
    ] as const) {
      assert.deepEqual(await cli([...argv]), {
        code: 1,
        stdout: '',
        stderr: `error: ${describe}: ${LOCAL_ADMIN_LOST}`,
      });
      assert.equal(await dexVersion(), dex, `${describe}: the refused write wrote nothing`);
    }

    const allowed = await cli(['backups', 'restore', newest, '--allow-lockout']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stderr, new RegExp(`warning: restore backup ${newest}: saved with --allow-lockout`));
    assert.match(allowed.stdout, /\nsaved config\.yaml: restore backup \S+ \(revision \d+\)\n/);
    assert.notEqual(await dexVersion(), dex);
    const now = JSON.parse((await cli(['dex-users', 'list', '-o', 'json'])).stdout) as { email: string }[];
    assert.ok(!now.some((u) => u.email === 'admin@epinio.io'), 'the restore wrote the backup');
  });
});
