import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse } from 'yaml';
import {
  applyMappingEdits,
  detectSemantics,
  MappingEditError,
  RolesMappingDocument,
} from '../../../source/domain/rolesMapping.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/mapping/${name}`, import.meta.url), 'utf8');
const CONSEQUENCE =
  "Epinio cannot parse rolesMapping: every OIDC (Bearer) request fails with 500 'error getting OIDC provider'; local logins still work.";

/** Lines of `after` that are not in `before` (multiset difference), to assert edits stay local. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const count = (xs: string[]) =>
    xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  const removed = a.filter((x) => (cb.get(x) ?? 0) < (ca.get(x) ?? 0) && cb.set(x, (cb.get(x) ?? 0) + 1));
  const cb2 = count(b);
  const ca2 = count(a);
  const added = b.filter((x) => (ca2.get(x) ?? 0) < (cb2.get(x) ?? 0) && ca2.set(x, (ca2.get(x) ?? 0) + 1));
  return { removed, added };
}

describe('RolesMappingDocument.parse', () => {
  it('reads the modern format and keeps the text byte-identical when untouched', () => {
    const text = fixture('modern.yaml');
    const doc = RolesMappingDocument.parse(text);
    assert.equal(doc.format, 'modern');
    assert.deepEqual(doc.fatal, []);
    assert.equal(doc.toString(), text);
    assert.deepEqual(doc.entries(), [
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
    ]);
  });

  it('detects legacy, mixed and empty formats', () => {
    const legacy = RolesMappingDocument.parse(fixture('legacy.yaml'));
    assert.equal(legacy.format, 'legacy');
    assert.deepEqual(legacy.entries()[0]!.groups[0], {
      id: 'acme:platform-admins',
      roles: [],
      legacyRole: 'admin',
    });
    assert.equal(RolesMappingDocument.parse(fixture('mixed.yaml')).format, 'mixed');
    for (const empty of ['', '\n', '# nothing yet\n', '[]\n', 'null\n']) {
      const doc = RolesMappingDocument.parse(empty);
      assert.equal(doc.format, 'empty', JSON.stringify(empty));
      assert.deepEqual(doc.fatal, []);
      assert.deepEqual(doc.entries(), []);
      assert.equal(doc.toString(), empty);
    }
  });

  it('reports a control character (even in a comment) as fatal, with its line: yaml.v2 refuses it', () => {
    const doc = RolesMappingDocument.parse('- connectorId: ldap\n  # oops \x1b[2J\n  groups: []\n');
    assert.deepEqual(doc.fatal, [
      {
        severity: 'error',
        code: 'mapping.control-character',
        path: 'rolesMapping',
        message:
          "rolesMapping contains the control character U+001B at line 2, which Epinio's YAML reader does not accept anywhere, not even in a comment (\"control characters are not allowed\"); remove it. Epinio cannot parse rolesMapping: every OIDC (Bearer) request fails with 500 'error getting OIDC provider'; local logins still work.",
      },
    ]);
    assert.deepEqual(doc.entries(), []);
  });

  it('reports the map form as fatal with the consequence and the conversion fix', () => {
    const doc = RolesMappingDocument.parse(fixture('map-form.yaml'));
    assert.deepEqual(doc.fatal, [
      {
        severity: 'error',
        code: 'mapping.map-form',
        path: 'rolesMapping',
        message: `rolesMapping is a map ("group": [roles]); only the list form (- connectorId: ..., groups: [...]) parses. ${CONSEQUENCE}`,
        fix: 'mapping.convert-to-modern',
      },
    ]);
    assert.deepEqual(doc.entries(), []);
  });

  it('reports a scalar roles value as fatal with the fix', () => {
    const [p] = RolesMappingDocument.parse(fixture('scalar-roles.yaml')).fatal;
    assert.equal(p!.code, 'mapping.scalar-roles');
    assert.equal(p!.path, 'rolesMapping[0].groups[0].roles');
    assert.equal(p!.fix, 'mapping.convert-to-modern');
    assert.equal(
      p!.message,
      `rolesMapping[0].groups[0].roles is a single value ("admin"), not a list such as ["admin"]. ${CONSEQUENCE}`,
    );
  });

  it('reports other shapes yaml.v2 cannot decode, and syntax errors, without a fix', () => {
    const cases: [string, string, string][] = [
      ['just text\n', 'mapping.not-a-list', 'rolesMapping'],
      ['- connectorId: a\n  groups: {id: x}\n', 'mapping.not-a-list', 'rolesMapping[0].groups'],
      [
        '- connectorId: a\n  groups:\n  - id: x\n    roles: {a: b}\n',
        'mapping.not-a-list',
        'rolesMapping[0].groups[0].roles',
      ],
      ['- plain\n', 'mapping.entry-not-map', 'rolesMapping[0]'],
      ['- connectorId: [a]\n', 'mapping.bad-shape', 'rolesMapping[0].connectorId'],
      [
        '- connectorId: a\n  groups:\n  - id: x\n    roles: [[admin]]\n',
        'mapping.bad-shape',
        'rolesMapping[0].groups[0].roles[0]',
      ],
      ['- connectorId: [\n', 'mapping.syntax', 'rolesMapping'],
    ];
    for (const [text, code, path] of cases) {
      const fatal = RolesMappingDocument.parse(text).fatal;
      assert.equal(fatal.length, 1, text);
      assert.equal(fatal[0]!.code, code, text);
      assert.equal(fatal[0]!.path, path, text);
      assert.equal(fatal[0]!.fix, undefined, text);
      assert.ok(fatal[0]!.message.endsWith(CONSEQUENCE), text);
    }
    assert.match(
      RolesMappingDocument.parse('- connectorId: [\n').fatal[0]!.message,
      /^rolesMapping is not valid YAML at line \d+, column \d+ \(/,
    );
  });

  it('reads scalars the way yaml.v2 decodes them into strings (YAML 1.1)', () => {
    const doc = RolesMappingDocument.parse(
      '- connectorId: 123\n  groups:\n  - id: yes\n    roles: [on, 0x10]\n  - id:\n    roles:\n',
    );
    assert.deepEqual(doc.entries(), [
      {
        connectorId: '123',
        groups: [
          { id: 'yes', roles: ['on', '0x10'] },
          { id: '', roles: [] },
        ],
      },
    ]);
    const raw = doc.rawEntries();
    assert.equal(raw[0]!.groups[0]!.id!.notString, true);
    assert.equal(raw[0]!.groups[0]!.roles![0]!.notString, true);
  });

  it('ignores misspelled keys the way Epinio does (no roles, no connector)', () => {
    const doc = RolesMappingDocument.parse(
      '- connectorID: github\n  groups:\n  - id: a\n    Roles: [admin]\n',
    );
    assert.deepEqual(doc.entries(), [{ connectorId: '', groups: [{ id: 'a', roles: [] }] }]);
  });
});

describe('RolesMappingDocument edits', () => {
  const text = fixture('modern.yaml');

  it('adds a group touching one line and keeping every comment', () => {
    const after = applyMappingEdits(text, [
      { op: 'group.add', entry: 1, group: { id: 'ops', roles: ['user'] } },
    ]);
    assert.deepEqual(changedLines(text, after), { removed: [], added: ['  - {id: "ops", roles: ["user"]}'] });
    assert.deepEqual(parse(after)[1].groups[2], { id: 'ops', roles: ['user'] });
  });

  it('adds a block-style group where neighbours are block style', () => {
    const after = applyMappingEdits(text, [
      { op: 'group.add', entry: 0, group: { id: 'acme:sre', roles: ['admin', 'user'] } },
    ]);
    assert.deepEqual(changedLines(text, after), {
      removed: [],
      added: ['  - id: "acme:sre"', '    roles: ["admin", "user"]'],
    });
  });

  it('renames a connector in every entry, double-quoted', () => {
    const two = `${text}- connectorId: github\n  groups: []\n`;
    const after = applyMappingEdits(two, [{ op: 'connector.rename', from: 'github', to: 'gh' }]);
    const { removed, added } = changedLines(two, after);
    assert.deepEqual(removed, [
      '- connectorId: github   # the GitHub connector id, not its name',
      '- connectorId: github',
    ]);
    assert.equal(added.length, 2);
    assert.match(added[0]!, /^- connectorId: "gh" +# the GitHub connector id, not its name$/);
    assert.equal(added[1], '- connectorId: "gh"');
  });

  it('sets roles of one group and leaves the others byte-identical', () => {
    const after = applyMappingEdits(text, [{ op: 'group.set', entry: 0, group: 1, roles: ['view_only'] }]);
    assert.deepEqual(changedLines(text, after), {
      removed: ['    roles: ["application_developer", "admin:team-blue"]'],
      added: ['    roles: ["view_only"]'],
    });
  });

  it('removes the entries of a connector and nothing else', () => {
    const after = applyMappingEdits(text, [{ op: 'connector.removeRefs', connectorId: 'ldap' }]);
    assert.deepEqual(
      parse(after).map((e: { connectorId: string }) => e.connectorId),
      ['github', 'local'],
    );
    assert.ok(
      after.startsWith(
        '# Role mapping for acme (kept by the platform team)\n- connectorId: github   # the GitHub',
      ),
    );
  });

  it('moves entries and groups, removes them, and sets a connector', () => {
    const doc = RolesMappingDocument.parse(text);
    doc.apply({ op: 'entry.move', from: 2, to: 0 });
    doc.apply({ op: 'group.move', entry: 1, from: 1, to: 0 });
    doc.apply({ op: 'group.remove', entry: 2, group: 0 });
    doc.apply({ op: 'entry.setConnector', index: 2, connectorId: 'corp-ldap' });
    doc.apply({ op: 'entry.remove', index: 0 });
    assert.deepEqual(doc.entries(), [
      {
        connectorId: 'github',
        groups: [
          { id: 'acme:developers', roles: ['application_developer', 'admin:team-blue'] },
          { id: 'acme:platform-admins', roles: ['admin'] },
        ],
      },
      { connectorId: 'corp-ldap', groups: [{ id: 'epinio-viewers', roles: ['view_only'] }] },
    ]);
    assert.match(doc.toString(), /# read only/);
  });

  it('builds a mapping from nothing, quoting every string', () => {
    const after = applyMappingEdits('', [
      { op: 'entry.add', connectorId: 'github' },
      { op: 'group.add', entry: 0, group: { id: 'yes', roles: ['admin'] } },
    ]);
    assert.equal(after, '- connectorId: "github"\n  groups:\n  - id: "yes"\n    roles: ["admin"]\n');
    assert.deepEqual(RolesMappingDocument.parse(after).entries(), [
      { connectorId: 'github', groups: [{ id: 'yes', roles: ['admin'] }] },
    ]);
  });

  it('rejects bad indexes with an operator message and leaves the document untouched', () => {
    const doc = RolesMappingDocument.parse(text);
    assert.throws(
      () => doc.apply({ op: 'entry.remove', index: 7 }),
      new MappingEditError('there is no rolesMapping entry 7 (valid: 0 to 2); reload and try again'),
    );
    assert.throws(
      () => doc.apply({ op: 'group.remove', entry: 0, group: 5 }),
      new MappingEditError('there is no group 5 in entry 0 (valid: 0 to 1); reload and try again'),
    );
    assert.equal(doc.toString(), text);
  });

  it('refuses to edit a mapping Epinio cannot parse, except the conversion', () => {
    const doc = RolesMappingDocument.parse(fixture('map-form.yaml'));
    assert.throws(() => doc.apply({ op: 'entry.add', connectorId: 'x' }), MappingEditError);
    assert.throws(() => doc.apply({ op: 'fix.convertToModern' }), {
      message:
        'the map form of rolesMapping names no connector; choose the connector id its groups come from, then convert',
    });
    assert.equal(doc.toString(), fixture('map-form.yaml'));
    const broken = RolesMappingDocument.parse('- connectorId: [\n');
    assert.throws(() => broken.apply({ op: 'fix.convertToModern' }), MappingEditError);
  });

  it('converts the map form into one modern entry', () => {
    const doc = RolesMappingDocument.parse(fixture('map-form.yaml'));
    doc.apply({ op: 'fix.convertToModern', connectorId: 'rancher' });
    assert.deepEqual(doc.fatal, []);
    assert.equal(doc.format, 'modern');
    assert.deepEqual(doc.entries(), [
      {
        connectorId: 'rancher',
        groups: [
          { id: 'acme:team', roles: ['user'] },
          { id: 'acme:ops', roles: ['admin', 'user'] },
        ],
      },
    ]);
  });

  it('converts legacy role: in place, keeping comments and other lines', () => {
    const legacy = fixture('legacy.yaml');
    const after = applyMappingEdits(legacy, [{ op: 'fix.convertToModern' }]);
    assert.deepEqual(changedLines(legacy, after).removed, [
      '    role: admin          # singular scalar',
      '    role: user',
    ]);
    assert.match(after, /^ {4}roles: \["admin"\] +# singular scalar$/m);
    assert.deepEqual(RolesMappingDocument.parse(after).entries()[0]!.groups, [
      { id: 'acme:platform-admins', roles: ['admin'] },
      { id: 'acme:developers', roles: ['user'] },
    ]);
  });

  it('converts scalar roles (splitting at commas) and merges role: into an existing roles list', () => {
    const scalar = RolesMappingDocument.parse(
      '- connectorId: x\n  groups:\n  - id: a\n    roles: admin, user\n',
    );
    scalar.apply({ op: 'fix.convertToModern' });
    assert.deepEqual(scalar.entries()[0]!.groups, [{ id: 'a', roles: ['admin', 'user'] }]);
    const mixed = RolesMappingDocument.parse(
      '- connectorId: x\n  groups:\n  - id: a\n    roles: ["admin"]\n    role: user\n',
    );
    mixed.apply({ op: 'fix.convertToModern' });
    assert.deepEqual(mixed.entries()[0]!.groups, [{ id: 'a', roles: ['admin', 'user'] }]);
    assert.equal(mixed.format, 'modern');
  });

  it('converts away an earlier duplicate groups: that yaml.v2 would still decode (found by the fuzzer)', () => {
    const doc = RolesMappingDocument.parse(
      [
        '- connectorId: github',
        '  groups: &platform',
        '  - id: "acme:admins"',
        '    roles: &adminRoles ["admin"]',
        '    roles: "ops"',
        '  groups: *platform',
        '- connectorId: local',
        '  groups:',
        '  - id: ops',
        '    roles: *adminRoles',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      doc.fatal.map((p) => p.code),
      ['mapping.scalar-roles', 'mapping.scalar-roles'],
    );
    doc.apply({ op: 'fix.convertToModern' });
    const again = RolesMappingDocument.parse(doc.toString());
    assert.deepEqual(again.fatal, []);
    assert.deepEqual(again.entries(), [
      { connectorId: 'github', groups: [{ id: 'acme:admins', roles: ['ops'] }] },
      { connectorId: 'local', groups: [{ id: 'ops', roles: ['admin'] }] },
    ]);
  });

  it('removing the last group under a comment writes YAML that parses, other lines untouched (found by the fuzzer)', () => {
    const before = [
      '- connectorId: github',
      '  groups:',
      '  # platform team: full access',
      '  - id: "acme:admins"',
      '    roles: ["admin"]',
      '- connectorId: ldap',
      '  groups:',
      '  - { id: "epinio-admins", roles: ["admin"] }',
      '',
    ].join('\n');
    const doc = RolesMappingDocument.parse(before);
    doc.apply({ op: 'group.remove', entry: 0, group: 0 });
    const again = RolesMappingDocument.parse(doc.toString());
    assert.deepEqual(again.fatal, []);
    assert.deepEqual(again.entries(), [
      { connectorId: 'github', groups: [] },
      { connectorId: 'ldap', groups: [{ id: 'epinio-admins', roles: ['admin'] }] },
    ]);
    assert.ok(
      doc
        .toString()
        .endsWith('- connectorId: ldap\n  groups:\n  - { id: "epinio-admins", roles: ["admin"] }\n'),
    );
  });

  it('refuses an edit it cannot print (nesting too deep) and leaves the document as it was (found by the fuzzer)', () => {
    // The deepest nesting the parser accepts here (it depends on the stack left at this point):
    // printing needs more stack per level than parsing, so an edit of it cannot be printed.
    const textOf = (depth: number) =>
      `- connectorId: github\n  groups:\n  - id: x\n    roles: ["admin"]\n    extra: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
    let [low, high] = [1, 20_000];
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (RolesMappingDocument.parse(textOf(mid)).fatal.length === 0) low = mid;
      else high = mid - 1;
    }
    const text = textOf(low);
    const doc = RolesMappingDocument.parse(text);
    assert.deepEqual(doc.fatal, []);
    assert.throws(
      () => doc.apply({ op: 'group.add', entry: 0, group: { id: 'y', roles: ['user'] } }),
      new MappingEditError(
        'rolesMapping is nested too deeply to be edited (Maximum call stack size exceeded); nothing was changed',
      ),
    );
    assert.equal(doc.toString(), text);
    assert.deepEqual(doc.entries(), [{ connectorId: 'github', groups: [{ id: 'x', roles: ['admin'] }] }]);
  });

  it('refuses an edit of a document whose anchor name the printer refuses, unchanged (found by the fuzzer)', () => {
    const text = '- connectorId: &g\ufeffh github\n  groups:\n  - id: x\n    roles: ["admin"]\n';
    const doc = RolesMappingDocument.parse(text);
    assert.throws(
      () => doc.apply({ op: 'group.add', entry: 0, group: { id: 'y', roles: ['user'] } }),
      new MappingEditError(
        'rolesMapping cannot be edited: Anchor must not contain whitespace or control characters: "g\\ufeffh". Rename that anchor (&name) with letters, digits, - and _ only; nothing was changed',
      ),
    );
    assert.equal(doc.toString(), text);
  });

  it('clone is independent of the original', () => {
    const doc = RolesMappingDocument.parse(text);
    const copy = doc.clone();
    copy.apply({ op: 'entry.remove', index: 0 });
    assert.equal(doc.toString(), text);
    assert.equal(copy.entries().length, 2);
  });

  it('property: any sequence of group.add keeps the decoded mapping equal to the intended one', () => {
    const role = fc.constantFrom('admin', 'user', 'view_only', 'yes', '123', 'a:b', 'x "q"', "it's");
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            entry: fc.nat(2),
            id: fc.string({ minLength: 1, maxLength: 12 }),
            roles: fc.array(role, { maxLength: 3 }),
          }),
          { maxLength: 6 },
        ),
        (adds) => {
          const doc = RolesMappingDocument.parse(text);
          const expected = doc.entries();
          for (const a of adds) {
            doc.apply({ op: 'group.add', entry: a.entry, group: { id: a.id, roles: a.roles } });
            expected[a.entry]!.groups.push({ id: a.id, roles: a.roles });
          }
          const reparsed = RolesMappingDocument.parse(doc.toString());
          assert.deepEqual(reparsed.fatal, []);
          assert.deepEqual(reparsed.entries(), expected);
          assert.ok(doc.toString().includes('# Role mapping for acme (kept by the platform team)'));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('detectSemantics', () => {
  it('uses the version when known and the format otherwise', () => {
    assert.equal(detectSemantics('v1.14.1', 'legacy'), 'modern');
    assert.equal(detectSemantics('v1.11.0', 'legacy'), 'modern');
    assert.equal(detectSemantics('v1.10.0', 'modern'), 'legacy');
    assert.equal(detectSemantics('2.0.0', 'empty'), 'modern');
    assert.equal(detectSemantics(undefined, 'legacy'), 'legacy');
    assert.equal(detectSemantics(undefined, 'mixed'), 'modern');
    assert.equal(detectSemantics('latest', 'modern'), 'modern');
  });
});
