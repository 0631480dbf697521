import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { MappingEntry } from '../../../source/domain/rolesMapping.js';
import { simulate, type SimulationInput } from '../../../source/domain/simulate.js';

const KNOWN = ['admin', 'user', 'view_only', 'application_developer'];
const MODERN: MappingEntry[] = [
  {
    connectorId: 'github',
    groups: [
      { id: 'acme:admins', roles: ['admin'] },
      { id: 'acme:devs', roles: ['application_developer', 'admin:team-blue'] },
      { id: 'acme:viewers', roles: ['view_only', 'ghost', 'user'] },
      { id: 'acme:devs', roles: ['user'] },
    ],
  },
  { connectorId: 'github', groups: [{ id: 'acme:late', roles: ['admin'] }] },
  { connectorId: 'ldap', groups: [{ id: 'Admins', roles: ['admin'] }] },
];
const LEGACY: MappingEntry[] = [
  {
    connectorId: 'github',
    groups: [
      { id: 'acme:devs', roles: [], legacyRole: 'application_developer' },
      { id: 'acme:admins', roles: [], legacyRole: 'admin' },
      { id: 'acme:modern', roles: ['admin'] },
    ],
  },
];

const modern = (
  connectorId: string,
  groups: string[],
  defaultRole: string | null = 'user',
): SimulationInput => ({
  connectorId,
  groups,
  semantics: 'modern',
  knownRoles: KNOWN,
  ...(defaultRole ? { defaultRole } : {}),
});
const legacy = (connectorId: string, groups: string[]): SimulationInput => ({
  connectorId,
  groups,
  semantics: 'legacy',
  knownRoles: KNOWN,
});

describe('simulate (table)', () => {
  const table: {
    name: string;
    entries: MappingEntry[];
    input: SimulationInput;
    roles: string[];
    entryIndex: number | null;
    skipped: string[];
    newUser: string;
    existingUser: RegExp;
  }[] = [
    {
      name: 'modern: one group',
      entries: MODERN,
      input: modern('github', ['acme:admins']),
      roles: ['admin'],
      entryIndex: 0,
      skipped: [],
      newUser: 'created with roles "admin"',
      existingUser: /^has its roles replaced by "admin": roles added by hand/,
    },
    {
      name: 'modern: union of all matching groups, duplicates removed, sorted',
      entries: MODERN,
      input: modern('github', ['acme:viewers', 'acme:devs', 'acme:admins']),
      roles: ['admin', 'admin:team-blue', 'application_developer', 'user', 'view_only'],
      entryIndex: 0,
      skipped: ['ghost'],
      newUser: 'created with roles "admin", "admin:team-blue", "application_developer", "user", "view_only"',
      existingUser: /^has its roles replaced by/,
    },
    {
      name: 'modern: later entries for the same connector are ignored',
      entries: MODERN,
      input: modern('github', ['acme:late']),
      roles: [],
      entryIndex: 0,
      skipped: [],
      newUser: 'created with the default role "user"',
      existingUser: /^keeps its current roles \(gets the default role "user" if it has none\)$/,
    },
    {
      name: 'modern: groups compare case-sensitively',
      entries: MODERN,
      input: modern('ldap', ['admins']),
      roles: [],
      entryIndex: 2,
      skipped: [],
      newUser: 'created with the default role "user"',
      existingUser: /^keeps its current roles/,
    },
    {
      name: 'modern: no entry for the connector',
      entries: MODERN,
      input: modern('gitlab', ['acme:admins']),
      roles: [],
      entryIndex: null,
      skipped: [],
      newUser: 'created with the default role "user"',
      existingUser: /^keeps/,
    },
    {
      name: 'modern: only unknown roles and no default role',
      entries: [{ connectorId: 'x', groups: [{ id: 'g', roles: ['ghost:ns'] }] }],
      input: modern('x', ['g'], null),
      roles: [],
      entryIndex: 0,
      skipped: ['ghost:ns'],
      newUser: 'created with no role at all (there is no default role), so every /api/v1 route answers 403',
      existingUser: /^keeps its current roles/,
    },
    {
      name: 'modern: legacy role: grants nothing',
      entries: LEGACY,
      input: modern('github', ['acme:admins']),
      roles: [],
      entryIndex: 0,
      skipped: [],
      newUser: 'created with the default role "user"',
      existingUser: /^keeps/,
    },
    {
      name: 'legacy: first matching group wins',
      entries: LEGACY,
      input: legacy('github', ['acme:admins', 'acme:devs']),
      roles: ['application_developer'],
      entryIndex: 0,
      skipped: [],
      newUser: 'created with role "application_developer"',
      existingUser: /applies the mapping only when it creates a user/,
    },
    {
      name: 'legacy: no match gives "user"',
      entries: LEGACY,
      input: legacy('github', ['nobody']),
      roles: ['user'],
      entryIndex: 0,
      skipped: [],
      newUser: 'created with role "user"',
      existingUser: /^keeps its roles/,
    },
    {
      name: 'legacy: no entry gives "user"',
      entries: LEGACY,
      input: legacy('ldap', ['acme:admins']),
      roles: ['user'],
      entryIndex: null,
      skipped: [],
      newUser: 'created with role "user"',
      existingUser: /^keeps its roles/,
    },
    {
      name: 'legacy: a matching group with only roles: grants nothing',
      entries: LEGACY,
      input: legacy('github', ['acme:modern']),
      roles: [],
      entryIndex: 0,
      skipped: [''],
      newUser: 'created with no role',
      existingUser: /^keeps its roles/,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const r = simulate(row.entries, row.input);
      assert.deepEqual(r.roles, row.roles);
      assert.equal(r.entryIndex, row.entryIndex);
      assert.deepEqual(
        r.skipped.map((s) => s.role),
        row.skipped,
      );
      assert.equal(r.newUser, row.newUser);
      assert.match(r.existingUser, row.existingUser);
      assert.ok(r.explanation.length > 0);
    });
  }

  it('explains matches, skips and ignored duplicate entries', () => {
    const r = simulate(MODERN, modern('github', ['acme:viewers']));
    assert.equal(
      r.explanation,
      [
        'Entry 0 (connectorId "github") is used; 1 later entry for the same connector is ignored.',
        'Group "acme:viewers" matches: "view_only", "ghost", "user".',
        'Skipped "ghost": role "ghost" is not known to the running epinio-server (skipped; a role ConfigMap created after the server started is not loaded yet).',
        'Mapped roles: "user", "view_only".',
        'A new user is created with roles "user", "view_only"; an existing user has its roles replaced by "user", "view_only": roles added by hand and admin:<namespace> roles from namespaces it created are lost.',
      ].join('\n'),
    );
    assert.deepEqual(r.matched, [{ entry: 0, group: 'acme:viewers', roles: ['view_only', 'ghost', 'user'] }]);
  });
});

describe('simulate (properties, modern)', () => {
  const roleId = fc.constantFrom('admin', 'user', 'view_only', 'ghost', 'other');
  const role = fc
    .tuple(roleId, fc.option(fc.constantFrom('ns1', 'ns2'), { nil: undefined }))
    .map(([id, ns]) => (ns ? `${id}:${ns}` : id));
  const groupId = fc.constantFrom('a', 'b', 'c', 'A');
  const entries = fc.array(
    fc.record({
      connectorId: fc.constantFrom('github', 'ldap'),
      groups: fc.array(fc.record({ id: groupId, roles: fc.array(role, { maxLength: 4 }) }), { maxLength: 5 }),
    }),
    { maxLength: 4 },
  );
  const known = fc.subarray(['admin', 'user', 'view_only', 'other']);

  it('grants only known role ids, unique and sorted; skips exactly the unknown ones', () => {
    fc.assert(
      fc.property(entries, fc.subarray(['a', 'b', 'c', 'A']), known, (es, groups, knownRoles) => {
        const r = simulate(es, { connectorId: 'github', groups, semantics: 'modern', knownRoles });
        for (const g of r.roles) assert.ok(knownRoles.includes(g.split(':')[0]!));
        assert.deepEqual(r.roles, [...new Set(r.roles)].sort());
        for (const s of r.skipped) assert.ok(!knownRoles.includes(s.role.split(':')[0]!));
        const first = es.findIndex((e) => e.connectorId === 'github');
        assert.equal(r.entryIndex, first < 0 ? null : first);
      }),
    );
  });

  it('does not depend on the order of the token groups or of the groups in the entry', () => {
    fc.assert(
      fc.property(entries, fc.subarray(['a', 'b', 'c', 'A']), known, (es, groups, knownRoles) => {
        const a = simulate(es, { connectorId: 'github', groups, semantics: 'modern', knownRoles });
        const reversedGroups = es.map((e) => ({ ...e, groups: [...e.groups].reverse() }));
        const b = simulate(reversedGroups, {
          connectorId: 'github',
          groups: [...groups].reverse(),
          semantics: 'modern',
          knownRoles,
        });
        assert.deepEqual(a.roles, b.roles);
      }),
    );
  });

  it('adding a token group never removes a role (union semantics)', () => {
    fc.assert(
      fc.property(entries, fc.subarray(['a', 'b', 'c']), known, (es, groups, knownRoles) => {
        const fewer = simulate(es, { connectorId: 'github', groups, semantics: 'modern', knownRoles });
        const more = simulate(es, {
          connectorId: 'github',
          groups: [...groups, 'A'],
          semantics: 'modern',
          knownRoles,
        });
        for (const r of fewer.roles) assert.ok(more.roles.includes(r));
      }),
    );
  });

  it('legacy always yields at most one role', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            connectorId: fc.constantFrom('github'),
            groups: fc.array(
              fc.record({ id: groupId, roles: fc.constant<string[]>([]), legacyRole: roleId }),
              { maxLength: 4 },
            ),
          }),
          { maxLength: 2 },
        ),
        fc.subarray(['a', 'b', 'c', 'A']),
        (es, groups) => {
          const r = simulate(es, { connectorId: 'github', groups, semantics: 'legacy', knownRoles: KNOWN });
          assert.equal(r.roles.length, 1);
        },
      ),
    );
  });
});
