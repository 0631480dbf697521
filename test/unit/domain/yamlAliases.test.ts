// Anchors, aliases and explicit tags under edits (regressions from the fuzzer): an edit must
// change one place only, never leave an alias dangling, never crash on a dangling or exploding
// alias, and never keep a tag (!!binary, !!int) that described the value it replaced.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { DexConfigDocument } from '../../../source/domain/dexConfig.js';
import { maskedDexDiff } from '../../../source/domain/diff.js';
import { MappingEditError, RolesMappingDocument } from '../../../source/domain/rolesMapping.js';

const fuzzFixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/fuzz/${name}`, import.meta.url), 'utf8');
const MAPPING = fuzzFixture('mapping-anchors.yaml');
const DEX = fuzzFixture('dex-anchors.yaml');
const read11 = (text: string): unknown => parse(text, { version: '1.1', merge: true });

describe('rolesMapping with anchors and aliases', () => {
  it('an alias naming no anchor is the syntax error yaml.v2 reports, with its position', () => {
    const doc = RolesMappingDocument.parse('- connectorId: github\n  groups: *nowhere\n');
    assert.deepEqual(
      doc.fatal.map((p) => [p.code, p.message.split('. ')[0]]),
      [
        [
          'mapping.syntax',
          "rolesMapping is not valid YAML at line 2, column 11 (unknown anchor 'nowhere' referenced)",
        ],
      ],
    );
    assert.deepEqual(doc.entries(), []);
    assert.throws(() => doc.apply({ op: 'entry.remove', index: 0 }), MappingEditError);
  });

  it('removing the entry that holds an anchor keeps what the aliases meant', () => {
    const doc = RolesMappingDocument.parse(MAPPING);
    const before = doc.entries();
    doc.apply({ op: 'entry.remove', index: 0 });
    const again = RolesMappingDocument.parse(doc.toString());
    assert.deepEqual(again.fatal, []);
    assert.deepEqual(again.entries(), before.slice(1));
  });

  it('moving the anchored entry below its aliases keeps every entry', () => {
    const doc = RolesMappingDocument.parse(MAPPING);
    const before = doc.entries();
    doc.apply({ op: 'entry.move', from: 0, to: 2 });
    assert.deepEqual(RolesMappingDocument.parse(doc.toString()).entries(), [before[1], before[2], before[0]]);
  });

  it('setting roles of a shared group changes that entry only', () => {
    const doc = RolesMappingDocument.parse(MAPPING);
    const before = doc.entries();
    doc.apply({ op: 'group.set', entry: 1, group: 0, roles: ['view_only'] });
    const after = RolesMappingDocument.parse(doc.toString()).entries();
    assert.deepEqual(after[0], before[0]);
    assert.deepEqual(after[2], before[2]);
    assert.deepEqual(after[1]!.groups[0]!.roles, ['view_only']);
  });

  it('an alias bomb is refused as an edit error, nothing changed', () => {
    const lines = ['- connectorId: a', '  groups:', '  - id: x', '    roles: &l0 ["admin"]'];
    let bomb = `a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n`;
    for (let i = 1; i < 8; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const text = `${lines.join('\n')}\n- connectorId: b\n  groups: []\n  bomb: {${bomb
      .trim()
      .split('\n')
      .join(', ')}}\n`;
    const doc = RolesMappingDocument.parse(text);
    assert.deepEqual(doc.fatal, []);
    assert.throws(() => doc.apply({ op: 'entry.remove', index: 0 }), {
      name: 'MappingEditError',
      message:
        'rolesMapping cannot be edited here: its aliases expand to more than 20000 nodes; edit it in the editor instead',
    });
    assert.equal(doc.toString(), text);
  });
});

describe('config.yaml with anchors and aliases', () => {
  it('editing the connector that holds the anchor leaves the one merging it unchanged', () => {
    const doc = DexConfigDocument.parse(DEX);
    const labs = doc.connectors()[1]!;
    doc.apply({ op: 'connector.set', id: 'github', path: ['config', 'clientID'], value: 'changed' });
    const again = DexConfigDocument.parse(doc.toString());
    assert.equal(again.connectors()[0]!.config.clientID, 'changed');
    assert.deepEqual(again.connectors()[1], labs);
  });

  it('removing or moving the anchored connector keeps the other one whole', () => {
    const doc = DexConfigDocument.parse(DEX);
    const labs = doc.connectors()[1]!;
    doc.apply({ op: 'connector.remove', id: 'github' });
    assert.deepEqual(DexConfigDocument.parse(doc.toString()).connectors(), [{ ...labs, index: 0 }]);

    const moved = DexConfigDocument.parse(DEX);
    const view = read11(DEX) as { connectors: unknown[] };
    moved.apply({ op: 'connector.move', id: 'github', to: 1 });
    assert.deepEqual((read11(moved.toString()) as { connectors: unknown[] }).connectors, [
      view.connectors[1],
      view.connectors[0],
    ]);
  });

  it('an edit of another connector keeps the aliases: no unrelated bindPW shows as changed', () => {
    const text = `issuer: https://a
storage: {type: memory}
connectors:
- type: ldap
  id: ldap-a
  name: A
  config: &ldap
    host: ldap.example.com:636
    bindDN: cn=svc
    bindPW: "canary-shared-bind-pw"
- type: ldap
  id: ldap-b
  name: B
  config: *ldap
- type: github
  id: github
  name: G
  config: {clientID: id, clientSecret: "canary-gh-secret", redirectURI: "https://a/callback"}
`;
    const doc = DexConfigDocument.parse(text);
    doc.apply({ op: 'connector.set', id: 'github', path: ['config', 'clientID'], value: 'id2' });
    assert.ok(doc.toString().includes('  config: *ldap\n'), doc.toString());
    const diff = maskedDexDiff(text, doc.toString());
    assert.deepEqual(
      diff.split('\n').filter((l) => /^[-+] /.test(l)),
      [
        '-  config: {clientID: id, clientSecret: ***, redirectURI: "https://a/callback"}',
        '+  config: {clientID: "id2", clientSecret: ***, redirectURI: "https://a/callback"}',
      ],
    );

    // Editing the connector that uses the alias expands that alias only; the anchor stays.
    const b = DexConfigDocument.parse(text);
    b.apply({ op: 'connector.set', id: 'ldap-b', path: ['config', 'host'], value: 'other:636' });
    assert.ok(b.toString().includes('config: &ldap'));
    assert.ok(!b.toString().includes('*ldap'));
    const again = DexConfigDocument.parse(b.toString());
    assert.equal(again.connectors()[0]!.config.host, 'ldap.example.com:636');
    assert.equal(again.connectors()[1]!.config.host, 'other:636');
    assert.equal(again.connectors()[1]!.config.bindPW, 'canary-shared-bind-pw');
    const bDiff = maskedDexDiff(text, b.toString());
    assert.ok(!bDiff.includes('(changed)'), bDiff);
    assert.ok(!bDiff.includes('canary'), bDiff);

    // Removing the anchored connector expands the alias that names it, and nothing else.
    const r = DexConfigDocument.parse(text);
    r.apply({ op: 'connector.remove', id: 'ldap-a' });
    assert.deepEqual(
      DexConfigDocument.parse(r.toString()).connectors()[0]!.config,
      again.connectors()[0]!.config,
    );
  });

  it('a rolesMapping edit keeps the aliases of the entries it does not touch', () => {
    const text =
      '- connectorId: a\n  groups: &g\n  - {id: ops, roles: [admin]}\n- connectorId: b\n  groups: *g\n- connectorId: c\n  groups: []\n';
    const doc = RolesMappingDocument.parse(text);
    doc.apply({ op: 'entry.setConnector', index: 2, connectorId: 'd' });
    assert.equal(doc.toString(), text.replace('connectorId: c', 'connectorId: "d"'));
    const moved = RolesMappingDocument.parse(text);
    const before = moved.entries();
    moved.apply({ op: 'entry.move', from: 0, to: 2 });
    assert.deepEqual(RolesMappingDocument.parse(moved.toString()).entries(), [
      before[1],
      before[2],
      before[0],
    ]);
  });

  it('an alias bomb is refused when read, as Dex would choke on it', () => {
    let bomb = `x-a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n`;
    for (let i = 1; i < 6; i++)
      bomb += `x-a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    assert.throws(() => DexConfigDocument.parse(`${DEX}${bomb}`), {
      name: 'DexConfigParseError',
      message:
        'config.yaml is not valid YAML: Excessive alias count indicates a resource exhaustion attack. Dex refuses to start with it: every OIDC login fails.',
    });
  });
});

describe('explicit tags under edits', () => {
  it('a value written over a !!binary or !!int scalar drops the tag (it crashed the printer)', () => {
    const doc = DexConfigDocument.parse(
      'issuer: https://a\nstorage: {type: memory}\nconnectors:\n- type: github\n  id: !!binary aGk=\n  name: G\n  config: {clientID: !!int "12", clientSecret: s, redirectURI: "https://a/callback"}\n',
    );
    doc.apply({ op: 'connector.rename', from: doc.connectors()[0]!.id, to: 'gh' });
    doc.apply({ op: 'connector.set', id: 'gh', path: ['config', 'clientID'], value: 'abc' });
    const again = DexConfigDocument.parse(doc.toString());
    assert.equal(again.connectors()[0]!.id, 'gh');
    assert.equal(again.connectors()[0]!.config.clientID, 'abc');
    assert.ok(!doc.toString().includes('!!'));

    const mapping = RolesMappingDocument.parse('- connectorId: !!binary aGk=\n  groups: []\n');
    mapping.apply({ op: 'connector.rename', from: mapping.entries()[0]!.connectorId, to: 'gh' });
    assert.equal(mapping.toString(), '- connectorId: "gh"\n  groups: []\n');
  });
});
