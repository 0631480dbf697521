import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { SecretObject } from '../../../source/store/types.js';
import { validateRolesMapping } from '../../../source/domain/mappingValidation.js';
import { RolesMappingDocument } from '../../../source/domain/rolesMapping.js';
import {
  chartSecretName,
  describeHash,
  formatRolesAnnotation,
  parseRolesAnnotation,
  serverSecretName,
  userFromSecret,
  usersFromSecrets,
} from '../../../source/domain/users.js';

const GOOD_HASH = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W';
function secret(name: string, data: Record<string, string>, extra: Partial<SecretObject> = {}): SecretObject {
  return {
    name,
    namespace: 'epinio',
    resourceVersion: '1',
    type: 'Opaque',
    labels: { 'epinio.io/api-user-credentials': 'true' },
    annotations: {},
    data,
    ...extra,
  };
}

describe('Secret names (epinio-formats.md §4.3)', () => {
  const table: [string, string, string][] = [
    [
      'admin',
      'ruser-admin-f585ef20266ee6e88d327c03c1c1b77d4fef6340',
      'ruser-admin-f585ef20266ee6e88d327c03c1c1b77d4fef6340',
    ],
    [
      'epinio',
      'ruser-epinio-4b0039dd419d28763eeb5c8c56b84c011a73aa4d',
      'ruser-epinio-4b0039dd419d28763eeb5c8c56b84c011a73aa4d',
    ],
    [
      'admin@epinio.io',
      'ruser-adminepinioio-9341763ee7dcbce070e7c14f246ec8291e9a7278',
      'ruser-adminepinioio-9341763ee7dcbce070e7c14f246ec8291e9a7278',
    ],
    [
      'jane.doe@example.com',
      'ruser-janedoeexamplecom-3d0829e1983f97eda300ea9c038956c7d7080966',
      'ruser-janedoeexampleco-3d0829e1',
    ],
    ['john_smith', 'ruser-john-smith-8ea2d71c8b7f4753628da63ba2c4916bb6797bfc', 'ruser-johnsmith-8ea2d71c'],
    [
      'Jane.Doe@Example.com',
      'ruser-janedoeexamplecom-9b6e274dbf8b21b00c92a46927b55eeec1ec1896',
      'ruser-aneoexamplecom-9b6e274d',
    ],
  ];
  for (const [username, server, chart] of table) {
    it(`${username}`, () => {
      assert.equal(serverSecretName(username), server);
      // The reference shortens the chart names' hash; the hash is the same as the server's.
      const chartName = chartSecretName(username);
      assert.ok(chartName.startsWith(chart), `${chartName} should start with ${chart}`);
      assert.equal(
        chartName.slice(chartName.lastIndexOf('-') + 1),
        server.slice(server.lastIndexOf('-') + 1),
      );
    });
  }

  it('property: server names are valid Secret names of at most 64 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (u) => {
        const name = serverSecretName(u);
        assert.ok(name.length <= 64);
        assert.match(name, /^r[-a-z0-9]*-[0-9a-f]{40}$/);
      }),
    );
  });
});

describe('roles annotation', () => {
  it('parses exactly as the server: whole value trimmed, items not trimmed', () => {
    assert.deepEqual(parseRolesAnnotation('admin'), ['admin']);
    assert.deepEqual(parseRolesAnnotation('  admin, user  '), ['admin', ' user']);
    assert.deepEqual(parseRolesAnnotation('user,admin:workspace'), ['user', 'admin:workspace']);
    assert.deepEqual(parseRolesAnnotation(''), []);
    assert.deepEqual(parseRolesAnnotation('   '), []);
  });

  it('formats unique, sorted, without spaces', () => {
    assert.equal(
      formatRolesAnnotation(['user', 'admin:team-blue', ' user', 'application_developer']),
      'admin:team-blue,application_developer,user',
    );
    assert.equal(formatRolesAnnotation([]), '');
  });

  it('property: format then parse gives the unique sorted roles', () => {
    const id = fc.stringMatching(/^[a-z_]{1,8}(:[a-z0-9-]{1,6})?$/);
    fc.assert(
      fc.property(fc.array(id), (roles) => {
        assert.deepEqual(parseRolesAnnotation(formatRolesAnnotation(roles)), [...new Set(roles)].sort());
      }),
    );
  });
});

describe('describeHash (§5)', () => {
  it('reads variant and cost of valid hashes', () => {
    assert.deepEqual(describeHash(GOOD_HASH), { variant: '2a', cost: 10, valid: true });
    assert.deepEqual(describeHash('$2y$12$NUn/d.y1UMH6HMYqJn4CheuN92R1TKkS.rmF2g7SKkUFDPlukSliK'), {
      variant: '2y',
      cost: 12,
      valid: true,
    });
    assert.deepEqual(describeHash(`$2b$${GOOD_HASH.slice(4)}`), { variant: '2b', cost: 10, valid: true });
    assert.equal(describeHash(`$2$${GOOD_HASH.slice(4)}`).variant, '2');
  });

  it('explains invalid hashes without ever returning the hash', () => {
    const cases: [string, string][] = [
      ['', 'the password hash is empty: every basic-auth login answers 401'],
      [
        'password',
        'the password is not a bcrypt hash ($2a$, $2b$ or $2y$): logins fail; set the password again (it may be plain text)',
      ],
      [
        GOOD_HASH.slice(0, 50),
        "the hash is 50 characters, shorter than bcrypt's 59: every login answers 401; set the password again",
      ],
      [
        `${GOOD_HASH}\n`,
        'the hash contains whitespace (often a trailing newline): no password matches it; set the password again',
      ],
      [
        GOOD_HASH.replace('$10$', '$03$'),
        'bcrypt cost 3 is outside 4–31, which Go rejects: logins fail; set the password again',
      ],
      [
        Buffer.from(GOOD_HASH).toString('base64'),
        'the password is base64 of a bcrypt hash, but Epinio needs the hash text itself (Kubernetes already base64-encodes data): logins fail; set the password again',
      ],
      [
        `$3a${GOOD_HASH.slice(3)}`,
        'the hash has a bcrypt version above 2, which Go rejects: logins fail; set the password again',
      ],
    ];
    for (const [hash, problem] of cases) {
      const d = describeHash(hash);
      assert.equal(d.valid, false, hash);
      assert.equal(d.problem, problem);
      if (hash.length > 30)
        assert.ok(!JSON.stringify(d).includes(hash.slice(7, 30)), 'never echoes the hash');
    }
  });
});

describe('userFromSecret / usersFromSecrets', () => {
  it('reads a server-created OIDC user', () => {
    const u = userFromSecret(
      secret(
        'ruser-janedoeexamplecom-3d08',
        { username: 'jane.doe@example.com', namespaces: 'team-blue\n', gitconfigs: '' },
        {
          annotations: { 'epinio.io/roles': 'admin:team-blue,application_developer' },
        },
      ),
    );
    assert.equal(u.username, 'jane.doe@example.com');
    assert.deepEqual(u.roles, ['admin:team-blue', 'application_developer']);
    assert.deepEqual(u.namespaces, ['team-blue']);
    assert.deepEqual(u.gitconfigs, []);
    assert.equal(u.hasPassword, false);
    assert.equal(u.passwordScheme, undefined);
    assert.equal(u.duplicate, false);
    assert.deepEqual(u.problems, [
      {
        severity: 'warning',
        code: 'user.no-password',
        path: 'users.ruser-janedoeexamplecom-3d08.data.password',
        message:
          'user "jane.doe@example.com" has no password: it can only log in through Dex until a password is set.',
      },
    ]);
  });

  it('flags stray spaces, unknown roles, legacy label, roles label, Helm management and bad hashes', () => {
    const u = userFromSecret(
      secret(
        'ruser-epinio',
        { username: 'epinio', password: 'plain', namespaces: ' workspace \n\n' },
        {
          type: 'BasicAuth',
          labels: {
            'epinio.io/api-user-credentials': 'true',
            'app.kubernetes.io/managed-by': 'Helm',
            'epinio.io/role': 'user',
            'epinio.io/roles': 'user',
          },
          annotations: { 'epinio.io/roles': 'user, admin:workspace,ghost' },
        },
      ),
      ['admin', 'user'],
    );
    assert.deepEqual(u.namespaces, ['workspace']);
    assert.equal(u.helmManaged, true);
    assert.equal(u.secretType, 'BasicAuth');
    assert.deepEqual(
      u.problems.map((p) => p.code),
      [
        'user.role-spaces',
        'user.unknown-role',
        'user.bad-hash',
        'user.legacy-role-label',
        'user.roles-label',
        'user.helm-managed',
      ],
    );
    assert.equal(
      u.problems[0]!.message,
      'user "epinio" has role " admin:workspace" with stray spaces: Epinio does not trim roles, so it is an unknown id that grants nothing and is dropped at the next request; save the roles again to write "admin:workspace".',
    );
    assert.equal(
      u.problems[5]!.message,
      'user "epinio" is managed by Helm: the next helm upgrade may overwrite its password and roles.',
    );
    assert.ok(!JSON.stringify(u).includes('"plain"'), 'the stored password text never appears in the model');
  });

  it('flags every Secret of a duplicated username', () => {
    const users = usersFromSecrets([
      secret(
        'ruser-admin-a',
        { username: 'admin', password: GOOD_HASH },
        { annotations: { 'epinio.io/roles': 'admin' } },
      ),
      secret('my-epinio-user', { username: 'bob', password: GOOD_HASH }),
      secret('ruser-admin-b', { username: 'admin', password: GOOD_HASH }),
      secret('ruser-Admin', { username: 'Admin', password: GOOD_HASH }),
    ]);
    assert.deepEqual(
      users.map((u) => u.duplicate),
      [true, false, true, false],
    );
    assert.deepEqual(users[0]!.problems[0], {
      severity: 'error',
      code: 'user.duplicate',
      path: 'users.ruser-admin-a.data.username',
      message:
        'user "admin" is defined multiple times (Secrets ruser-admin-a, ruser-admin-b): it cannot log in until only one Secret remains.',
    });
    assert.deepEqual(users[0]!.passwordScheme, { variant: '2a', cost: 10, valid: true });
  });
});

describe('invisible characters in identifiers', () => {
  it('warns that ad\\u200bmin only looks like admin, for a username and a role id', () => {
    const u = userFromSecret(
      secret(
        'ruser-x',
        { username: 'ad\u200bmin', password: '' },
        { annotations: { 'epinio.io/roles': 'adm\u2060in' } },
      ),
    );
    assert.deepEqual(
      u.problems.filter((p) => p.code === 'identifier.invisible-characters'),
      [
        {
          severity: 'warning',
          code: 'identifier.invisible-characters',
          path: 'users.ruser-x.data.username',
          message:
            'the username "ad\\u200bmin" contains invisible characters (U+200B): it looks like "admin" but is a different username; retype it without them.',
        },
        {
          severity: 'warning',
          code: 'identifier.invisible-characters',
          path: 'users.ruser-x.roles[0]',
          message:
            'the role id "adm\\u2060in" contains invisible characters (U+2060): it looks like "admin" but is a different role id; retype it without them.',
        },
      ],
    );
  });

  it('warns for group and connector ids in rolesMapping, not for an emoji joiner', () => {
    const doc = RolesMappingDocument.parse(
      '- connectorId: "git\u200chub"\n  groups:\n  - {id: "ops\ufeff", roles: [admin]}\n  - {id: "\u{1f469}\u200d\u{1f467}", roles: [admin]}\n',
    );
    const found = validateRolesMapping(doc, {
      connectorIds: ['github'],
      enablePasswordDB: false,
      knownRoles: ['admin'],
      semantics: 'modern',
    }).filter((p) => p.code === 'identifier.invisible-characters');
    assert.deepEqual(
      found.map((p) => [p.path, p.message]),
      [
        [
          'rolesMapping[0].connectorId',
          'the connector id "git\\u200chub" contains invisible characters (U+200C): it looks like "github" but is a different connector id; retype it without them.',
        ],
        [
          'rolesMapping[0].groups[0].id',
          'the group id "ops\\ufeff" contains invisible characters (U+FEFF): it looks like "ops" but is a different group id; retype it without them.',
        ],
      ],
    );
  });
});
