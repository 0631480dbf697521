// What our TypeScript writes must be accepted by the real consumers: Epinio's yaml.v2 parse of
// rolesMapping, Go's bcrypt, and Dex's own connector config types. The Go reference checker runs
// those libraries; these tests feed it our outputs, and show it can also say no.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runChecker } from '../checker/checker.js';
import { DEX_CONFIG_YAML, fixtureUsers, ROLES_MAPPING_YAML, STATIC_PASSWORD } from '../stack/fixtures.js';
import { applyDexEdits, DexConfigDocument } from '../../source/domain/dexConfig.js';
import {
  applyMappingEdits,
  RolesMappingDocument,
  type MappingEdit,
} from '../../source/domain/rolesMapping.js';
import { hashPassword } from '../../source/password/hash.js';
import { validateRolesMapping } from '../../source/domain/mappingValidation.js';

/** Our parse in the checker's output shape, to compare the two readings of the same bytes. */
function ourEntries(text: string): { connectorId: string; groups: { id: string; roles: string[] }[] }[] {
  return RolesMappingDocument.parse(text)
    .entries()
    .map((e) => ({
      connectorId: e.connectorId,
      groups: e.groups.map((g) => ({ id: g.id, roles: g.roles })),
    }));
}

async function goEntries(
  text: string,
): Promise<{ connectorId: string; groups: { id: string; roles: string[] }[] }[]> {
  const out = (await runChecker({ rolesMapping: text })).rolesMapping;
  assert.ok(out, 'checker answered rolesMapping');
  assert.equal(out.ok, true, `Epinio's yaml.v2 parse failed: ${out.error}\n${text}`);
  return (out.entries ?? []).map((e) => ({
    connectorId: e.connectorId,
    groups: e.groups.map((g) => ({ id: g.id, roles: g.roles })),
  }));
}

// Strings YAML 1.1 would turn into something else when unquoted (booleans, numbers, null, maps,
// comments), plus a scoped role: what "always quote on write" is about.
const TRICKY = [
  'yes',
  'on',
  'NO',
  '0123',
  '1e3',
  '~',
  'null',
  'a: b',
  '#not-a-comment',
  'org:team with space',
  "it's",
  '"quoted"',
  'ümlaut',
];

describe('rolesMapping written by applyMappingEdits parses in Epinio (yaml.v2 + Epinio structs)', () => {
  test('a control character, even in a comment: Epinio refuses the whole mapping, and so does our reading', async () => {
    for (const ch of ['\x1b', '\x00', '\x7f', '\x9b']) {
      const text = `# note${ch}\n${ROLES_MAPPING_YAML}`;
      const go = await runChecker({ rolesMapping: text });
      assert.deepEqual(go.rolesMapping, { ok: false, error: 'yaml: control characters are not allowed' });
      assert.deepEqual(
        RolesMappingDocument.parse(text).fatal.map((p) => p.code),
        ['mapping.control-character'],
      );
    }
    // A tab (and any printable text) is fine for both.
    const allowed = `# note\tü ✓\n${ROLES_MAPPING_YAML}`;
    assert.equal((await runChecker({ rolesMapping: allowed })).rolesMapping?.ok, true);
    assert.deepEqual(RolesMappingDocument.parse(allowed).fatal, []);
  });

  test('NEL, LS or PS, even in a comment: Epinio reads another mapping than ours, or none, and our validator says so (mapping.line-break)', async () => {
    const lineBreaks = (text: string) =>
      validateRolesMapping(RolesMappingDocument.parse(text), {
        connectorIds: ['github', 'ldap'],
        enablePasswordDB: true,
        knownRoles: undefined,
        semantics: 'modern',
      })
        .filter((p) => p.code === 'mapping.line-break')
        .map((p) => `${p.severity}@${p.path}`);
    for (const ch of ['\u0085', '\u2028', '\u2029']) {
      // The rest of the comment is YAML to Epinio: an entry we do not see.
      const extra = `# note${ch}- connectorId: evil\n${ROLES_MAPPING_YAML}`;
      assert.deepEqual(await goEntries(extra), [{ connectorId: 'evil', groups: [] }, ...ourEntries(extra)]);
      assert.deepEqual(ourEntries(extra), ourEntries(ROLES_MAPPING_YAML));
      assert.deepEqual(lineBreaks(extra), ['error@rolesMapping']);
      // ...or not YAML at all: Epinio refuses the whole mapping where we read all of it.
      const broken = ROLES_MAPPING_YAML.replace('# scoped admin', `# scoped${ch}admin: yes`);
      assert.deepEqual((await runChecker({ rolesMapping: broken })).rolesMapping, {
        ok: false,
        error: "yaml: line 8: did not find expected '-' indicator",
      });
      assert.deepEqual(ourEntries(broken), ourEntries(ROLES_MAPPING_YAML));
      assert.deepEqual(lineBreaks(broken), ['error@rolesMapping[0].groups[1].roles']);
    }
    // NEL in a quoted group id is a space to Epinio; our reader keeps it.
    const quoted = ROLES_MAPPING_YAML.replace('"ops"', '"o\u0085ps"');
    assert.equal((await goEntries(quoted))[2]!.groups[0]!.id, 'o ps');
    assert.equal(ourEntries(quoted)[2]!.groups[0]!.id, 'o\u0085ps');
    assert.deepEqual(lineBreaks(quoted), ['error@rolesMapping[2].groups[0].id']);
    // Without them both readings agree, and the rule is silent.
    assert.deepEqual(lineBreaks(ROLES_MAPPING_YAML), []);
  });

  test('the fixture mapping (with comments) parses, and both readings agree', async () => {
    assert.deepEqual(await goEntries(ROLES_MAPPING_YAML), ourEntries(ROLES_MAPPING_YAML));
  });

  test('adding groups with YAML-1.1-ambiguous ids and roles keeps them strings', async () => {
    const edits: MappingEdit[] = TRICKY.map((s) => ({
      op: 'group.add',
      entry: 0,
      group: { id: s, roles: [s, `admin:${s}`] },
    }));
    const text = applyMappingEdits(ROLES_MAPPING_YAML, edits);
    const go = await goEntries(text);
    assert.deepEqual(go, ourEntries(text));
    const added = go[0]!.groups.slice(-TRICKY.length);
    assert.deepEqual(
      added.map((g) => g.id),
      TRICKY,
    );
    assert.deepEqual(
      added.map((g) => g.roles),
      TRICKY.map((s) => [s, `admin:${s}`]),
    );
    // The operator's comments survive the edit.
    assert.match(text, /# platform team: full access/);
  });

  test('entry and connector edits produce a mapping Epinio reads the same way', async () => {
    const text = applyMappingEdits(ROLES_MAPPING_YAML, [
      { op: 'entry.add', connectorId: 'gitlab' },
      { op: 'group.add', entry: 3, group: { id: 'acme/devs', roles: ['user'] } },
      { op: 'connector.rename', from: 'github', to: 'github-enterprise' },
      { op: 'group.set', entry: 1, group: 1, roles: ['view_only', 'user:ns-1'] },
      { op: 'group.remove', entry: 0, group: 0 },
      { op: 'entry.move', from: 2, to: 0 },
    ]);
    const go = await goEntries(text);
    assert.deepEqual(go, ourEntries(text));
    assert.deepEqual(
      go.map((e) => e.connectorId),
      ['local', 'github-enterprise', 'ldap', 'gitlab'],
    );
    assert.deepEqual(go[3]!.groups, [{ id: 'acme/devs', roles: ['user'] }]);
  });

  test('removing every entry leaves a value Epinio still parses', async () => {
    let text = ROLES_MAPPING_YAML;
    for (let i = 0; i < 3; i++) text = applyMappingEdits(text, [{ op: 'entry.remove', index: 0 }]);
    assert.deepEqual(await goEntries(text), []);
  });

  test('the map form fails in Epinio (the checker can fail), and our parser calls it fatal', async () => {
    const mapForm = '"acme:platform-admins": [admin]\n"acme:developers": [user]\n';
    const out = (await runChecker({ rolesMapping: mapForm })).rolesMapping;
    assert.equal(out?.ok, false);
    assert.match(out?.error ?? '', /cannot unmarshal !!map into \[\]main\.epinioMapping/);
    assert.ok(RolesMappingDocument.parse(mapForm).fatal.length > 0);
  });

  test('scalar roles fail in Epinio too, and our parser agrees', async () => {
    const scalar = '- connectorId: github\n  groups:\n  - id: devs\n    roles: admin\n';
    const out = (await runChecker({ rolesMapping: scalar })).rolesMapping;
    assert.equal(out?.ok, false);
    assert.ok(RolesMappingDocument.parse(scalar).fatal.length > 0);
  });

  test('fix.convertToModern turns the map form and legacy `role:` into lists Epinio parses', async () => {
    const mapForm = '"acme:platform-admins": [admin]\n"acme:developers": [user, "admin:ws"]\n';
    // The map form names no connector, so the operator picks the one its groups come from.
    const fixed = applyMappingEdits(mapForm, [{ op: 'fix.convertToModern', connectorId: 'github' }]);
    const go = await goEntries(fixed);
    assert.deepEqual(go, ourEntries(fixed));
    assert.deepEqual(
      go.map((e) => e.connectorId),
      ['github'],
    );
    assert.deepEqual(go[0]!.groups.find((g) => g.id === 'acme:developers')?.roles, ['user', 'admin:ws']);

    const legacy = '- connectorId: github\n  groups:\n  - id: "acme:admins"\n    role: admin\n';
    const converted = applyMappingEdits(legacy, [{ op: 'fix.convertToModern' }]);
    const out = (await runChecker({ rolesMapping: converted })).rolesMapping;
    assert.equal(out?.ok, true, out?.error);
    assert.deepEqual(out?.entries?.[0]?.groups[0]?.roles, ['admin']);
  });

  test('a key given twice: yaml.v2 decodes it without an error, the last wins (so the tool warns)', async () => {
    const text =
      '- connectorId: github\n  connectorId: ldap\n  groups:\n  - {id: ops, roles: [admin], roles: [user]}\n';
    const out = (await runChecker({ rolesMapping: text })).rolesMapping;
    assert.equal(out?.ok, true, out?.error);
    assert.deepEqual(out?.entries, [
      { connectorId: 'ldap', groups: [{ id: 'ops', roles: ['user'], role: '' }] },
    ]);
    // The tool reads it the same way.
    assert.deepEqual(RolesMappingDocument.parse(text).entries(), [
      { connectorId: 'ldap', groups: [{ id: 'ops', roles: ['user'] }] },
    ]);
  });
});

describe('bcrypt hashes from hashPassword verify in Go (golang.org/x/crypto/bcrypt)', () => {
  test('costs 10 and 12, ASCII and multi-byte passwords', async () => {
    const cases = [
      { password: 'correct horse battery', cost: 10 },
      { password: 'pässwörd-ünïcødé-🔑', cost: 12 },
      { password: 'x'.repeat(72), cost: 10 },
    ];
    const hashes = await Promise.all(cases.map((c) => hashPassword(c.password, c.cost)));
    const out = (
      await runChecker({ bcrypt: cases.map((c, i) => ({ hash: hashes[i]!, password: c.password })) })
    ).bcrypt;
    assert.deepEqual(
      out,
      cases.map((c) => ({ ok: true, cost: c.cost })),
    );
  });

  test('a wrong password and a malformed hash are refused (the checker can fail)', async () => {
    const hash = await hashPassword('right-password', 10);
    const out = (
      await runChecker({
        bcrypt: [
          { hash, password: 'wrong-password' },
          { hash: hash.slice(0, 40), password: 'right-password' },
        ],
      })
    ).bcrypt;
    assert.equal(out?.[0]?.ok, false);
    assert.match(out?.[0]?.error ?? '', /not the hash of the given password/);
    assert.equal(out?.[1]?.ok, false);
  });

  test('the stack fixtures carry hashes of the passwords they advertise', async () => {
    const withPw = fixtureUsers.filter((u) => u.hash && u.password);
    const out = (await runChecker({ bcrypt: withPw.map((u) => ({ hash: u.hash!, password: u.password! })) }))
      .bcrypt;
    assert.ok(out?.every((r) => r.ok));
    const statics = DexConfigDocument.parse(DEX_CONFIG_YAML).staticPasswords();
    const st = (
      await runChecker({ bcrypt: statics.map((s) => ({ hash: s.hash!, password: STATIC_PASSWORD })) })
    ).bcrypt;
    assert.ok(st?.every((r) => r.ok && r.cost === 10));
  });
});

describe('config.yaml written by applyDexEdits decodes into Dex connector types and opens', () => {
  test('the fixture config: github and ldap decode and pass their startup checks', async () => {
    const out = (await runChecker({ dexConfig: DEX_CONFIG_YAML })).dexConfig;
    assert.equal(out?.ok, true, JSON.stringify(out));
    assert.deepEqual(
      out?.connectors.map((c) => [c.id, c.type, c.ok]),
      [
        ['github', 'github', true],
        ['ldap', 'ldap', true],
      ],
    );
  });

  test('connectors added with YAML-1.1-ambiguous values still decode into string fields', async () => {
    const text = applyDexEdits(DEX_CONFIG_YAML, [
      {
        op: 'connector.add',
        connector: {
          type: 'gitlab',
          id: 'gitlab',
          name: 'GitLab',
          config: {
            baseURL: 'https://gitlab.com',
            clientID: '0123',
            clientSecret: 'yes',
            redirectURI: 'https://auth.example.com/callback',
            groups: ['on', 'null'],
          },
        },
      },
      {
        op: 'connector.add',
        connector: {
          type: 'oauth',
          id: 'oauth2',
          name: 'Generic',
          config: {
            clientID: 'true',
            clientSecret: '1e3',
            redirectURI: 'https://auth.example.com/callback',
            tokenURL: 'https://idp.example.com/token',
            authorizationURL: 'https://idp.example.com/auth',
            userInfoURL: 'https://idp.example.com/userinfo',
            scopes: ['openid', 'no'],
          },
        },
      },
      { op: 'connector.set', id: 'github', path: ['config', 'clientSecret'], value: 'off' },
      { op: 'connector.set', id: 'ldap', path: ['config', 'bindPW'], value: '#123: not a comment' },
    ]);
    const out = (await runChecker({ dexConfig: text })).dexConfig;
    assert.equal(out?.ok, true, JSON.stringify(out));
    assert.deepEqual(
      out?.connectors.map((c) => c.id),
      ['github', 'ldap', 'gitlab', 'oauth2'],
    );
  });

  test('a static password added with hashPassword is accepted by Dex and verifies', async () => {
    const hash = await hashPassword('new-static-user-pw', 12);
    const text = applyDexEdits(DEX_CONFIG_YAML, [
      {
        op: 'static.add',
        entry: {
          email: 'new@example.com',
          username: 'new',
          userID: '6f1c7a52-1b77-4c5e-9a8b-2f1d3c4b5a69',
          hash,
          groups: ['ops'],
        },
      },
    ]);
    const out = await runChecker({
      dexConfig: text,
      bcrypt: [
        {
          hash: DexConfigDocument.parse(text).staticPasswords().at(-1)!.hash!,
          password: 'new-static-user-pw',
        },
      ],
    });
    assert.equal(out.dexConfig?.ok, true, JSON.stringify(out.dexConfig));
    assert.deepEqual(out.bcrypt, [{ ok: true, cost: 12 }]);
  });

  test('disabling the password DB while static passwords exist fails in Dex (the checker can fail)', async () => {
    const text = applyDexEdits(DEX_CONFIG_YAML, [{ op: 'passwordDB.set', enabled: false }]);
    const out = (await runChecker({ dexConfig: text })).dexConfig;
    assert.equal(out?.ok, false);
    assert.match(out?.error ?? '', /cannot specify static passwords without enabling password db/);
  });

  test('an unquoted number in a string field fails Dex decoding (what quoting prevents)', async () => {
    const raw = DEX_CONFIG_YAML.replace('clientID: "Ov23liExampleClient01"', 'clientID: 0123');
    const out = (await runChecker({ dexConfig: raw })).dexConfig;
    assert.equal(out?.ok, false);
    const gh = out?.connectors.find((c) => c.id === 'github');
    assert.equal(gh?.ok, false);
    assert.match(gh?.error ?? '', /cannot unmarshal number into Go struct field .*clientID of type string/);
  });

  test('an ldap connector missing its required host fails its startup check', async () => {
    const raw = DEX_CONFIG_YAML.replace('    host: "ldap.example.com:636"\n', '');
    const out = (await runChecker({ dexConfig: raw })).dexConfig;
    assert.equal(out?.connectors.find((c) => c.id === 'ldap')?.ok, false);
  });
});
