import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  validateRolesMapping,
  type MappingValidationContext,
} from '../../../source/domain/mappingValidation.js';
import { RolesMappingDocument } from '../../../source/domain/rolesMapping.js';

const ctx: MappingValidationContext = {
  connectorIds: ['github', 'ldap'],
  enablePasswordDB: true,
  knownRoles: ['admin', 'user', 'view_only'],
  semantics: 'modern',
};
const check = (text: string, over: Partial<MappingValidationContext> = {}) =>
  validateRolesMapping(RolesMappingDocument.parse(text), { ...ctx, ...over });
const codes = (text: string, over: Partial<MappingValidationContext> = {}) =>
  check(text, over).map((p) => `${p.code}@${p.path}`);

describe('validateRolesMapping', () => {
  it('accepts a clean modern mapping', () => {
    assert.deepEqual(
      check(
        '- connectorId: github\n  groups:\n  - id: "acme:devs"\n    roles: ["user", "admin:team-blue"]\n- connectorId: local\n  groups:\n  - { id: ops, roles: [view_only] }\n',
      ),
      [],
    );
  });

  it('returns only the fatal problem when Epinio cannot parse the mapping', () => {
    assert.deepEqual(codes('"acme:team": [user]\n'), ['mapping.map-form@rolesMapping']);
  });

  it('flags unknown roles with the consequence, and skips the check when roles are unknown', () => {
    const [p, ...rest] = check('- connectorId: github\n  groups:\n  - id: a\n    roles: ["developer:ns1"]\n');
    assert.deepEqual(rest, []);
    assert.deepEqual(p, {
      severity: 'warning',
      code: 'mapping.unknown-role',
      path: 'rolesMapping[0].groups[0].roles[0]',
      message:
        'role "developer" is not a role Epinio knows (admin, user, view_only): Epinio skips it, so it grants nothing.',
    });
    assert.deepEqual(
      check('- connectorId: github\n  groups:\n  - id: a\n    roles: ["developer"]\n', {
        knownRoles: undefined,
      }),
      [],
    );
  });

  it('flags connector ids that name no connector, and local without the password DB', () => {
    const [p] = check('- connectorId: GitHub\n  groups:\n  - { id: a, roles: [user] }\n');
    assert.equal(p!.code, 'mapping.unknown-connector');
    assert.equal(
      p!.message,
      'connectorId "GitHub" names no connector in config.yaml (ids: github, ldap, local): this entry never matches. Use the connector\'s id, not its type or name.',
    );
    assert.deepEqual(
      codes('- connectorId: local\n  groups:\n  - { id: a, roles: [user] }\n', { enablePasswordDB: false }),
      ['mapping.local-without-passworddb@rolesMapping[0].connectorId'],
    );
    assert.deepEqual(codes('- groups:\n  - { id: a, roles: [user] }\n'), [
      'mapping.missing-connector@rolesMapping[0].connectorId',
    ]);
  });

  it('flags a second entry for the same connector as dead', () => {
    const problems = check(
      '- connectorId: github\n  groups: [{ id: a, roles: [user] }]\n- connectorId: github\n  groups: [{ id: b, roles: [admin] }]\n',
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.code, 'mapping.duplicate-connector');
    assert.equal(problems[0]!.path, 'rolesMapping[1].connectorId');
    assert.match(
      problems[0]!.message,
      /Epinio uses only the first entry for a connector, so the groups of entry 1 are never evaluated/,
    );
  });

  it('flags duplicate group ids with the semantics-specific consequence', () => {
    const text =
      '- connectorId: github\n  groups:\n  - { id: a, roles: [user] }\n  - { id: a, roles: [admin] }\n';
    assert.match(check(text)[0]!.message, /both count and their roles are merged/);
    const legacy = check(
      '- connectorId: github\n  groups:\n  - { id: a, role: user }\n  - { id: a, role: admin }\n',
      { semantics: 'legacy' },
    );
    assert.equal(legacy[0]!.code, 'mapping.duplicate-group');
    assert.match(legacy[0]!.message, /the first match wins, so this one is never used/);
  });

  it('flags legacy role: under modern Epinio as granting nothing, with the fix', () => {
    assert.deepEqual(check('- connectorId: github\n  groups:\n  - id: a\n    role: admin\n'), [
      {
        severity: 'error',
        code: 'mapping.legacy-role',
        path: 'rolesMapping[0].groups[0].role',
        message:
          'rolesMapping[0].groups[0] has the legacy singular role: "admin", which Epinio ≥ 1.11 silently ignores: this group grants nothing! Convert it to roles: ["admin"].',
        fix: 'mapping.convert-to-modern',
      },
    ]);
    assert.deepEqual(
      codes('- connectorId: github\n  groups:\n  - { id: a, role: admin }\n', { semantics: 'legacy' }),
      [],
    );
    assert.deepEqual(
      codes('- connectorId: github\n  groups:\n  - { id: a, roles: [admin] }\n', { semantics: 'legacy' }),
      ['mapping.roles-on-legacy@rolesMapping[0].groups[0].roles'],
    );
  });

  it('flags spaces in role ids, empty roles and empty role strings', () => {
    assert.deepEqual(
      codes(
        '- connectorId: github\n  groups:\n  - { id: a, roles: [" user"] }\n  - { id: b, roles: [] }\n  - { id: c, roles: [""] }\n',
      ),
      [
        'mapping.role-spaces@rolesMapping[0].groups[0].roles[0]',
        'mapping.empty-roles@rolesMapping[0].groups[1].roles',
        'mapping.empty-role@rolesMapping[0].groups[2].roles[0]',
      ],
    );
    assert.equal(
      check('- connectorId: github\n  groups:\n  - { id: a, roles: [" user"] }\n')[0]!.message,
      'role " user" contains spaces: no role id has spaces, so Epinio skips it and grants nothing through it; write "user".',
    );
  });

  it('warns about a key given twice: yaml.v2 keeps the last one without an error', () => {
    const text =
      '- connectorId: github\n  connectorId: ldap\n  groups:\n  - {id: ops, roles: [admin], roles: [user]}\n';
    assert.deepEqual(
      check(text).filter((p) => p.code === 'mapping.duplicate-key'),
      [
        {
          severity: 'warning',
          code: 'mapping.duplicate-key',
          path: 'rolesMapping[0].connectorId',
          message:
            'rolesMapping[0] has the key "connectorId" 2 times: Epinio reads only the last one and silently ignores the others; keep one.',
        },
        {
          severity: 'warning',
          code: 'mapping.duplicate-key',
          path: 'rolesMapping[0].groups[0].roles',
          message:
            'rolesMapping[0].groups[0] has the key "roles" 2 times: Epinio reads only the last one and silently ignores the others; keep one.',
        },
      ],
    );
    // What Epinio reads, as the Go reference checker showed: the last of each.
    assert.deepEqual(RolesMappingDocument.parse(text).entries(), [
      { connectorId: 'ldap', groups: [{ id: 'ops', roles: ['user'] }] },
    ]);
  });

  it('flags misspelled keys that Epinio silently ignores', () => {
    const problems = check('- connectorID: github\n  group:\n  - id: a\n    Roles: [admin]\n');
    assert.deepEqual(
      problems.map((p) => `${p.code}@${p.path}`),
      [
        'mapping.misspelled-key@rolesMapping[0].connectorID',
        'mapping.misspelled-key@rolesMapping[0].group',
        'mapping.missing-connector@rolesMapping[0].connectorId',
      ],
    );
    assert.equal(
      problems[0]!.message,
      'rolesMapping[0] has key "connectorID", which Epinio silently ignores (the key is "connectorId", exact case): this entry never matches any login.',
    );
    const groupKey = check('- connectorId: github\n  groups:\n  - id: a\n    Roles: [admin]\n');
    assert.deepEqual(
      groupKey.map((p) => p.code),
      ['mapping.misspelled-key', 'mapping.empty-roles'],
    );
    assert.match(groupKey[0]!.message, /the key is "roles", exact case\): this group grants nothing/);
  });

  it('warns about group ids and roles that are not strings in YAML 1.1', () => {
    assert.deepEqual(
      codes(
        '- connectorId: github\n  groups:\n  - id: yes\n    roles: [admin]\n  - id: "b"\n    roles: [123]\n',
        { knownRoles: undefined },
      ),
      [
        'mapping.not-string@rolesMapping[0].groups[0].id',
        'mapping.not-string@rolesMapping[0].groups[1].roles[0]',
      ],
    );
    assert.equal(
      check('- connectorId: github\n  groups:\n  - id: yes\n    roles: [admin]\n')[0]!.message,
      'group id yes is a boolean in YAML 1.1; Epinio reads its text, but quote it ("yes") so every tool agrees.',
    );
  });

  it('with the Epinio version unknown, says what a legacy mapping does under each Epinio and how to make the version known', () => {
    const legacy =
      '- connectorId: github\n  groups:\n  - { id: "acme:admins", role: admin }\n  - { id: "acme:devs", role: user }\n';
    const problems = check(legacy, { semantics: 'legacy', versionKnown: false });
    assert.deepEqual(problems, [
      {
        severity: 'warning',
        code: 'mapping.version-unknown',
        path: 'rolesMapping',
        message:
          'The Epinio version is unknown, so it is not known which rolesMapping format Epinio reads: with Epinio 1.10 and earlier, the legacy role: of "acme:admins", "acme:devs" applies; with Epinio 1.11 and later it is silently ignored and those 2 groups grant nothing. Make the version known: run the tool against the cluster, where it reads the Epinio version from the image of the epinio-server Deployment.',
      },
    ]);
    // A known version says nothing of the kind (the legacy semantics is then a fact).
    assert.deepEqual(check(legacy, { semantics: 'legacy', versionKnown: true }), []);
  });

  it('with the Epinio version unknown, says what a modern mapping does under each Epinio', () => {
    const modern = '- connectorId: github\n  groups:\n  - { id: "acme:devs", roles: [user] }\n';
    const [p, ...rest] = check(modern, { versionKnown: false });
    assert.deepEqual(rest, []);
    assert.equal(p!.code, 'mapping.version-unknown');
    assert.equal(
      p!.message,
      'The Epinio version is unknown, so it is not known which rolesMapping format Epinio reads: with Epinio 1.11 and later, the roles: lists of "acme:devs" apply; Epinio 1.10 and earlier do not read roles: (only role:), so members of that group get "user" unless another group matches. Make the version known: run the tool against the cluster, where it reads the Epinio version from the image of the epinio-server Deployment.',
    );
    assert.deepEqual(check('[]\n', { versionKnown: false }), []);
  });

  it("NEL, LS or PS anywhere is an error pointing at its node: yaml.v2 reads them as line breaks, so a comment goes on as YAML (the same rule as config.yaml's)", () => {
    const mapping = '- connectorId: github # github.com\n  groups:\n  - id: "acme:devs"\n    roles: [user]\n';
    const message = (code: string, line: number) =>
      `rolesMapping contains ${code} at line ${line}, which Epinio's YAML reader takes for a line break (this tool's reader does not), even in a comment, so Epinio can read another mapping than the tool shows (when that is not valid YAML, every OIDC (Bearer) request fails with 500 'error getting OIDC provider'). Replace it with a plain space or a newline.`;
    for (const [ch, code] of [
      ['\u0085', 'U+0085'],
      ['\u2028', 'U+2028'],
      ['\u2029', 'U+2029'],
    ] as const) {
      // A comment line of its own belongs to no entry: the whole mapping.
      assert.deepEqual(check(`# two org${ch}- connectorId: evil\n${mapping}`), [
        { severity: 'error', code: 'mapping.line-break', path: 'rolesMapping', message: message(code, 1) },
      ]);
      // A comment after a value, and a value: that value.
      assert.deepEqual(check(mapping.replace('github.com', `git${ch}hub.com`)), [
        {
          severity: 'error',
          code: 'mapping.line-break',
          path: 'rolesMapping[0].connectorId',
          message: message(code, 1),
        },
      ]);
      assert.deepEqual(
        codes(mapping.replace('acme:devs', `acme${ch}devs`)).filter((c) =>
          c.startsWith('mapping.line-break'),
        ),
        ['mapping.line-break@rolesMapping[0].groups[0].id'],
      );
    }
    // Also beside a fatal problem, which it may be the cause of.
    assert.deepEqual(codes('"acme:team": [user] # a\u2028b\n'), [
      'mapping.map-form@rolesMapping',
      'mapping.line-break@rolesMapping',
    ]);
    // Other non-ASCII text is not a line break to either reader.
    assert.deepEqual(check(`# caf\u00e9 \u2713\n${mapping}`), []);
  });
});
