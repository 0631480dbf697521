// The read commands against the fixture manifest (test/unit/cli/fixtures), in all three formats.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { FIXTURE, ROOT, run } from './harness.js';

const BROKEN = join(ROOT, 'test/unit/cli/fixtures/broken.yaml');
const f = (...argv: string[]) => run([...argv, '--file', FIXTURE]);
const json = async (...argv: string[]) => {
  const r = await f(...argv, '-o', 'json');
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  return JSON.parse(r.stdout) as unknown;
};

const ADMIN = 'ruser-admin-f585ef20266ee6e88d327c03c1c1b77d4fef6340';
const EPINIO = 'ruser-epinio-4b0039dd419d28763eeb5c8c56b84c011a73aa4d';
const OPS = 'ruser-opsexamplecom-07af648d167b54fafea301c0c796cf760a9fccaf';
const JANE = 'ruser-janedoeexamplecom-3d0829e1983f97eda300ea9c038956c7d7080966';

describe('users list', () => {
  it('prints an aligned table without escape codes when stdout is not a TTY', async () => {
    assert.deepEqual(await f('users', 'list'), {
      code: 0,
      stderr: '',
      stdout: [
        'USERNAME               ROLES                                   NAMESPACES   PASSWORD   SECRET                                                             NOTES',
        `admin                  admin                                                yes        ${ADMIN}               helm 1 problem`,
        `epinio                 user,admin:workspace                    workspace    yes        ${EPINIO}              helm 1 problem`,
        `ops@example.com        system_manager                                       yes        ${OPS}`,
        `jane.doe@example.com   admin:team-blue,application_developer   team-blue    no         ${JANE}   1 problem`,
        '',
      ].join('\n'),
    });
  });

  it('prints the contract fields as JSON and YAML, never a hash', async () => {
    const users = (await json('users', 'list')) as Record<string, unknown>[];
    assert.deepEqual(
      users.map((u) => [u.username, u.secretName, u.roles, u.namespaces, u.hasPassword, u.duplicate]),
      [
        ['admin', ADMIN, ['admin'], [], true, false],
        ['epinio', EPINIO, ['user', 'admin:workspace'], ['workspace'], true, false],
        ['ops@example.com', OPS, ['system_manager'], [], true, false],
        [
          'jane.doe@example.com',
          JANE,
          ['admin:team-blue', 'application_developer'],
          ['team-blue'],
          false,
          false,
        ],
      ],
    );
    const y = await f('users', 'list', '-o', 'yaml');
    assert.equal(y.code, 0);
    assert.deepEqual(parseYaml(y.stdout), users);
    assert.doesNotMatch(y.stdout + JSON.stringify(users), /\$2[aby]\$/);
  });

  it('flags duplicate usernames', async () => {
    const r = await run(['users', 'list', '--file', BROKEN, '-o', 'json']);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { duplicate: boolean }[]).map((u) => u.duplicate),
      [true, true],
    );
  });
});

describe('roles list', () => {
  it('lists the built-in admin first, then the ConfigMaps', async () => {
    const roles = (await json('roles', 'list')) as {
      id: string;
      name: string;
      default: boolean;
      source: string;
    }[];
    assert.deepEqual(
      roles.map((r) => [r.id, r.default, r.source]),
      [
        ['admin', false, 'builtin'],
        ['user', true, 'configmap'],
        ['blank', false, 'configmap'],
        ['application_manager', false, 'configmap'],
        ['application_developer', false, 'configmap'],
        ['view_only', false, 'configmap'],
        ['system_manager', false, 'configmap'],
      ],
    );
    const t = await f('roles', 'list');
    assert.equal(
      t.stdout.split('\n')[0],
      'ID                      NAME                    DEFAULT   SOURCE      LOADED   CONFIGMAP',
    );
    assert.equal(
      t.stdout.split('\n')[2],
      'user                    User                    yes       configmap   yes      epinio-user-role',
    );
  });
});

describe('connectors', () => {
  it('lists id, type, name and problem count without config values', async () => {
    assert.deepEqual(await json('connectors', 'list'), [
      { id: 'github', type: 'github', name: 'GitHub', problems: 0 },
      { id: 'ldap', type: 'ldap', name: 'Corporate LDAP', problems: 0 },
    ]);
    assert.deepEqual(await f('connectors', 'list'), {
      code: 0,
      stderr: '',
      stdout:
        'ID       TYPE     NAME             PROBLEMS\ngithub   github   GitHub           0\nldap     ldap     Corporate LDAP   0\n',
    });
  });

  it('masks secret fields unless --show-secrets', async () => {
    const masked = (await json('connectors', 'show', 'ldap')) as {
      type: string;
      id: string;
      name: string;
      config: Record<string, unknown>;
    };
    assert.deepEqual([masked.type, masked.id, masked.name], ['ldap', 'ldap', 'Corporate LDAP']);
    assert.equal(masked.config.bindPW, '***');
    assert.equal(masked.config.bindDN, 'cn=dex,ou=Services,dc=example,dc=com');
    const table = await f('connectors', 'show', 'github');
    assert.match(
      table.stdout,
      /^type: github\nid: github\nname: GitHub\nconfig:\n {2}clientID: Ov23liExampleClient01\n {2}clientSecret: "\*\*\*"\n/,
    );
    assert.doesNotMatch(table.stdout, /fake0github/);
    const shown = (await json('connectors', 'show', 'github', '--show-secrets')) as {
      config: Record<string, unknown>;
    };
    assert.equal(shown.config.clientSecret, 'fake0github0client0secret0value0000000000');
  });

  it('exits 4 for an unknown connector', async () => {
    assert.deepEqual(await f('connectors', 'show', 'gitlab'), {
      code: 4,
      stdout: '',
      stderr: 'error: connector "gitlab" not found in config.yaml\nhint: connector ids: github, ldap\n',
    });
  });

  it('exits 1 when config.yaml cannot be read', async () => {
    const r = await run(['connectors', 'list', '--file', BROKEN]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: cannot read config\.yaml in Secret "dex-config": .*has no id.*\nhint: run `validate` for every problem\n$/,
    );
  });
});

describe('mappings', () => {
  it('lists the modern mapping', async () => {
    assert.deepEqual(await json('mappings', 'list'), {
      format: 'modern',
      entries: [
        {
          connectorId: 'github',
          groups: [
            { id: 'acme:platform-admins', roles: ['admin'] },
            { id: 'acme:developers', roles: ['application_developer', 'admin:team-blue'] },
          ],
        },
        {
          connectorId: 'ldap',
          groups: [
            { id: 'epinio-admins', roles: ['admin'] },
            { id: 'epinio-viewers', roles: ['view_only'] },
          ],
        },
        { connectorId: 'local', groups: [{ id: 'ops', roles: ['system_manager'] }] },
      ],
    });
    assert.equal(
      (await f('mappings', 'list')).stdout,
      [
        'CONNECTOR   GROUP                  ROLES',
        'github      acme:platform-admins   admin',
        'github      acme:developers        application_developer,admin:team-blue',
        'ldap        epinio-admins          admin',
        'ldap        epinio-viewers         view_only',
        'local       ops                    system_manager',
        '',
      ].join('\n'),
    );
  });

  it('warns on stderr about a mapping Epinio cannot parse, but still lists', async () => {
    const r = await run(['mappings', 'list', '--file', BROKEN, '-o', 'json']);
    assert.equal(r.code, 0);
    const value = JSON.parse(r.stdout) as { entries: unknown[]; fatal: { code: string }[] };
    assert.deepEqual(value.entries, []);
    assert.deepEqual(
      value.fatal.map((p) => p.code),
      ['mapping.map-form'],
    );
    assert.match(r.stderr, /^warning: rolesMapping is a map/);
  });

  it('simulates a login', async () => {
    const r = (await json(
      'mappings',
      'simulate',
      '--connector',
      'github',
      '--group',
      'acme:developers',
      '--group',
      'other',
    )) as Record<string, unknown>;
    assert.equal(r.connectorId, 'github');
    assert.deepEqual(r.groups, ['acme:developers', 'other']);
    assert.deepEqual(r.roles, ['admin:team-blue', 'application_developer']);
    assert.deepEqual(
      (r.matched as { group: string; roles: string[] }[]).map((m) => [m.group, m.roles]),
      [['acme:developers', ['application_developer', 'admin:team-blue']]],
    );
    assert.deepEqual(r.skipped, []);
    assert.equal(r.semantics, 'modern');
    assert.equal(typeof r.explanation, 'string');
    const legacy = (await json(
      'mappings',
      'simulate',
      '--connector',
      'ldap',
      '--group',
      'epinio-viewers',
      '--semantics',
      'legacy',
    )) as Record<string, unknown>;
    assert.equal(legacy.semantics, 'legacy');
    const t = await f('mappings', 'simulate', '--connector', 'github', '--group', 'acme:developers');
    assert.match(
      t.stdout,
      /^connector: github\ngroups: {4}acme:developers\nsemantics: modern\nroles: {5}admin:team-blue, application_developer\n\nGROUP {13}ROLES\nacme:developers {3}application_developer,admin:team-blue\n/,
    );
  });

  it('rejects a bad --semantics and a mapping that does not parse', async () => {
    assert.deepEqual(await f('mappings', 'simulate', '--connector', 'x', '--semantics', 'new'), {
      code: 2,
      stdout: '',
      stderr:
        'error: invalid value "new" for --semantics (choose modern or legacy)\nhint: run \'epinio-dex-admin mappings simulate --help\' for usage\n',
    });
    const r = await run(['mappings', 'simulate', '--connector', 'github', '--file', BROKEN]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: cannot simulate: rolesMapping is a map.*\nhint: run `validate` for details\n$/,
    );
  });
});

describe('validate', () => {
  it('exits 0 with warnings only', async () => {
    const r = (await json('validate')) as {
      errors: unknown[];
      warnings: { code: string; path: string; message: string }[];
    };
    assert.deepEqual(r.errors, []);
    assert.ok(r.warnings.some((w) => w.code === 'role.unknown-action'));
    const t = await f('validate');
    assert.equal(t.code, 0);
    assert.match(t.stdout, /^SEVERITY {3}PATH {2,}MESSAGE\nwarning {4}roles\./);
    assert.match(t.stdout, new RegExp(`\\n\\n0 errors, ${r.warnings.length} warnings\\n$`));
  });

  it('exits 1 with the errors of every object', async () => {
    const r = await run(['validate', '--file', BROKEN, '-o', 'json']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const value = JSON.parse(r.stdout) as { errors: { code: string; path: string; source: string }[] };
    assert.deepEqual(
      value.errors.map((e) => [e.code, e.path, e.source]),
      [
        ['config.connector-missing-field', 'config.yaml', 'config.yaml'],
        ['mapping.map-form', 'rolesMapping', 'rolesMapping'],
        ['user.duplicate', 'users.bob-one.data.username', 'user:bob-one'],
        ['user.duplicate', 'users.bob-two.data.username', 'user:bob-two'],
      ],
    );
    const y = await run(['validate', '--file', BROKEN, '-o', 'yaml']);
    assert.equal(y.code, 1);
    assert.deepEqual(parseYaml(y.stdout), JSON.parse(r.stdout));
  });
});

describe('store errors', () => {
  it('exits 1 with one error line for a missing manifest file', async () => {
    const r = await run(['users', 'list', '--file', '/nonexistent/epinio.yaml']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').filter(Boolean).length <= 2, true, r.stderr);
    assert.match(r.stderr, /^error: .*\/nonexistent\/epinio\.yaml/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
