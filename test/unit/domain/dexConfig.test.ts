import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diffLines } from 'diff';
import { parseDocument } from 'yaml';
import {
  applyDexEdits,
  DexConfigDocument,
  DexConfigParseError,
  DexEditError,
  type DexEdit,
} from '../../../source/domain/dexConfig.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/dex/${name}.yaml`, import.meta.url), 'utf8');
const CHART = fixture('chart-default');
const GITHUB_LDAP = fixture('github-ldap');

/** Lines removed and added between two texts. */
function changed(before: string, after: string): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.removed) removed.push(...lines);
    if (part.added) added.push(...lines);
  }
  return { removed, added };
}

function edited(text: string, ...edits: DexEdit[]): string {
  return applyDexEdits(text, edits);
}

describe('DexConfigDocument parse and round trip', () => {
  for (const [name, text] of [
    ['chart-default', CHART],
    ['github-ldap', GITHUB_LDAP],
  ]) {
    it(`${name}: untouched document is byte-identical`, () => {
      assert.equal(DexConfigDocument.parse(text).toString(), text);
      assert.equal(DexConfigDocument.parse(text).clone().toString(), text);
    });
  }

  it('reads connectors, static passwords and top-level flags with YAML 1.1 semantics', () => {
    const doc = DexConfigDocument.parse(GITHUB_LDAP);
    assert.equal(doc.issuer, 'https://auth.example.com');
    assert.equal(doc.enablePasswordDB, true);
    assert.deepEqual(
      doc.connectors().map((c) => [c.type, c.id, c.name, c.index]),
      [
        ['github', 'github', 'GitHub', 0],
        ['ldap', 'ldap', 'Corporate LDAP', 1],
      ],
    );
    assert.deepEqual(doc.connector('github')?.config.orgs, [
      { name: 'acme', teams: ['platform-admins', 'developers'] },
    ]);
    assert.deepEqual(doc.staticPasswords()[1], {
      email: 'ops@example.com',
      username: 'ops',
      userID: '5d1c0c1e-3f5e-4a51-9d0b-7f3e2c6a9b10',
      hash: '$2y$12$NUn/d.y1UMH6HMYqJn4CheuN92R1TKkS.rmF2g7SKkUFDPlukSliK',
      groups: ['ops'],
      index: 1,
    });
    const yes = DexConfigDocument.parse('issuer: x\nenablePasswordDB: yes\n');
    assert.equal(yes.enablePasswordDB, true, 'YAML 1.1 reads yes as true, as Dex does');
  });

  it('returns a copy: changing a returned connector does not change the document', () => {
    const doc = DexConfigDocument.parse(GITHUB_LDAP);
    doc.connector('github')!.config.clientID = 'changed';
    assert.equal(doc.connector('github')!.config.clientID, 'Ov23liExampleClient01');
  });

  it('connectorYaml gives the entry as written, comments included, dedented', () => {
    const yaml = DexConfigDocument.parse(GITHUB_LDAP).connectorYaml('github');
    assert.ok(
      yaml.startsWith(
        'type: github\nid: github\nname: "GitHub"\nconfig:\n  clientID: "Ov23liExampleClient01"\n',
      ),
    );
    assert.ok(yaml.includes('  - name: "acme"                      # must equal the org login exactly\n'));
    assert.deepEqual(parseDocument(yaml).toJS().config.teamNameField, 'slug');
  });

  const bad: [string, string, string, number | undefined][] = [
    ['yaml.syntax', 'issuer: x\nstorage:\n  type: [a\n', 'config.yaml is not valid YAML at line', 4],
    [
      'config.not-mapping',
      '- a\n- b\n',
      'config.yaml must be a mapping (issuer:, storage:, connectors: ...), but its top level is a list. Dex refuses to start with it: every OIDC login fails.',
      undefined,
    ],
    [
      'config.not-mapping',
      '',
      'config.yaml is empty: it must be a mapping with at least issuer: and storage:. Dex refuses to start with it: every OIDC login fails.',
      undefined,
    ],
    [
      'config.connectors-not-list',
      'issuer: x\nconnectors: github\n',
      'connectors in config.yaml must be a list of entries (- type: ...), but it is a string ("github"). Dex refuses to start with it: every OIDC login fails.',
      undefined,
    ],
    [
      'config.connector-not-mapping',
      'issuer: x\nconnectors:\n- github\n',
      'connectors[0] (line 3) must be a mapping with type, id and name, but it is a string ("github"). Dex refuses to start with it: every OIDC login fails.',
      3,
    ],
    [
      'yaml.bom',
      '\ufeff\ufeffissuer: x\nstorage: {}\n',
      'config.yaml starts with more than one byte-order mark (U+FEFF): Dex reads the extra one as text and misreads the file. Dex refuses to start with it: every OIDC login fails.',
      1,
    ],
    [
      'config.connector-missing-field',
      'issuer: x\nconnectors:\n- type: github\n  name: GitHub\n',
      'connectors[0] (line 3) has no id: Dex requires type, id and name on every connector ("ID, Type and Name fields are required for a connector"). Dex refuses to start with it: every OIDC login fails.',
      3,
    ],
  ];
  for (const [code, text, message, line] of bad) {
    it(`rejects ${code}: ${JSON.stringify(text).slice(0, 30)}`, () => {
      assert.throws(
        () => DexConfigDocument.parse(text),
        (err: unknown) => {
          assert.ok(err instanceof DexConfigParseError);
          assert.equal(err.code, code);
          if (code === 'yaml.syntax') {
            assert.match(
              err.message,
              /^config\.yaml is not valid YAML at line \d+, column \d+: .+\. Dex refuses to start with it: every OIDC login fails\.$/,
            );
            assert.equal(typeof err.column, 'number');
          } else assert.equal(err.message, message);
          if (line !== undefined) assert.equal(err.line, line);
          return true;
        },
      );
    });
  }

  it('keeps unknown connector types and unknown fields', () => {
    const text =
      'issuer: x\nfoo: { bar: 1 }\nconnectors:\n- type: fancy\n  id: f\n  name: F\n  extra: 1\n  config: { weird: yes }\n';
    const doc = DexConfigDocument.parse(text);
    doc.apply({ op: 'connector.set', id: 'f', path: ['name'], value: 'Fancy' });
    const out = parseDocument(doc.toString()).toJS();
    assert.deepEqual(out.foo, { bar: 1 });
    assert.equal(out.connectors[0].extra, 1);
    assert.equal(out.connectors[0].config.weird, 'yes');
    assert.equal(out.connectors[0].name, 'Fancy');
  });
});

describe('edits change only the lines they must', () => {
  it('setting a nested value changes one line and keeps every comment', () => {
    const after = edited(GITHUB_LDAP, {
      op: 'connector.set',
      id: 'github',
      path: ['config', 'clientID'],
      value: 'new-id',
    });
    assert.deepEqual(changed(GITHUB_LDAP, after), {
      removed: ['    clientID: "Ov23liExampleClient01"'],
      added: ['    clientID: "new-id"'],
    });
  });

  it('a line with an aligned comment keeps the comment when its value changes', () => {
    const after = edited(GITHUB_LDAP, {
      op: 'connector.set',
      id: 'ldap',
      path: ['config', 'bindPW'],
      value: 'other',
    });
    const { removed, added } = changed(GITHUB_LDAP, after);
    assert.equal(removed.length, 1);
    assert.equal(added.length, 1);
    assert.match(added[0], /^ {4}bindPW: "other" +# a '\$' here would be eaten by env expansion$/);
  });

  it('adding a connector to the chart default appends lines only; flow entries stay as written', () => {
    const after = edited(CHART, {
      op: 'connector.add',
      connector: {
        type: 'github',
        id: 'github',
        name: 'GitHub',
        config: { clientID: 'c', orgs: [{ name: 'acme', teams: ['a'] }] },
      },
    });
    const { removed, added } = changed(CHART, after);
    assert.deepEqual(removed, []);
    assert.deepEqual(added, [
      'connectors:',
      '- type: "github"',
      '  id: "github"',
      '  name: "GitHub"',
      '  config:',
      '    clientID: "c"',
      '    orgs:',
      '    - name: "acme"',
      '      teams: ["a"]',
    ]);
    assert.ok(
      after.includes(
        "- { id: epinio-api, name: 'Epinio API', public: true, trustedPeers: [epinio-cli, epinio-ui] }  # + rancher-dashboard *\n",
      ),
    );
  });

  it('static.setHash changes the hash line only; email matched case-insensitively', () => {
    const hash = '$2b$12$' + 'a'.repeat(53);
    const after = edited(CHART, { op: 'static.setHash', email: 'EPINIO@epinio.io', hash });
    assert.deepEqual(changed(CHART, after), {
      removed: ['  hash: "$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W"'],
      added: [`  hash: "${hash}"`],
    });
    assert.ok(after.includes('- email: "epinio@epinio.io"             # no username\n'));
  });

  it('remove drops exactly the entry lines', () => {
    const after = edited(GITHUB_LDAP, { op: 'connector.remove', id: 'github' });
    const { removed, added } = changed(GITHUB_LDAP, after);
    assert.deepEqual(added, []);
    assert.equal(removed[0], '- type: github');
    assert.equal(removed.length, 11);
    assert.deepEqual(
      DexConfigDocument.parse(after)
        .connectors()
        .map((c) => c.id),
      ['ldap'],
    );
  });
});

describe('edit operations', () => {
  it('connector.add at an index with quoted strings that stay strings for YAML 1.1', () => {
    const doc = DexConfigDocument.parse(GITHUB_LDAP);
    doc.apply({
      op: 'connector.add',
      index: 1,
      connector: {
        type: 'oidc',
        id: 'okta',
        name: 'Okta',
        config: { clientID: '0123', promptType: 'on', scopes: ['no', 'email'], insecureEnableGroups: true },
      },
    });
    assert.deepEqual(
      doc.connectors().map((c) => c.id),
      ['github', 'okta', 'ldap'],
    );
    assert.deepEqual(doc.connector('okta')!.config, {
      clientID: '0123',
      promptType: 'on',
      scopes: ['no', 'email'],
      insecureEnableGroups: true,
    });
    assert.ok(doc.toString().includes('    clientID: "0123"\n'));
  });

  it('connector.set creates missing mappings, sets list items and deletes with undefined', () => {
    const doc = DexConfigDocument.parse(GITHUB_LDAP);
    doc.apply({ op: 'connector.set', id: 'ldap', path: ['config', 'groupSearch', 'scope'], value: 'one' });
    doc.apply({ op: 'connector.set', id: 'github', path: ['config', 'orgs', 0, 'teams', 1], value: 'devs' });
    doc.apply({ op: 'connector.set', id: 'github', path: ['config', 'claims', 'x'], value: true });
    doc.apply({ op: 'connector.set', id: 'github', path: ['config', 'teamNameField'], value: undefined });
    const gh = doc.connector('github')!.config;
    assert.deepEqual(gh.orgs, [{ name: 'acme', teams: ['platform-admins', 'devs'] }]);
    assert.deepEqual(gh.claims, { x: true });
    assert.equal('teamNameField' in gh, false);
    assert.equal((doc.connector('ldap')!.config.groupSearch as Record<string, unknown>).scope, 'one');
  });

  it('connector.set updates an existing case-variant key instead of adding a second one', () => {
    const doc = DexConfigDocument.parse(
      'issuer: x\nconnectors:\n- type: github\n  id: gh\n  name: G\n  config:\n    clientId: a\n',
    );
    doc.apply({ op: 'connector.set', id: 'gh', path: ['config', 'clientID'], value: 'b' });
    assert.deepEqual(doc.connector('gh')!.config, { clientId: 'b' });
  });

  it('connector.replace from raw YAML, keeping the comments the operator typed', () => {
    const doc = DexConfigDocument.parse(GITHUB_LDAP);
    doc.apply({
      op: 'connector.replace',
      id: 'github',
      yaml: 'type: gitlab\nid: gitlab\nname: GitLab # typed\nconfig:\n  clientID: x\n',
    });
    assert.deepEqual(
      doc.connectors().map((c) => `${c.type}/${c.id}`),
      ['gitlab/gitlab', 'ldap/ldap'],
    );
    assert.ok(doc.toString().includes('name: GitLab # typed'));
  });

  it('connector.move and connector.rename (rename follows oauth2.passwordConnector)', () => {
    const text = GITHUB_LDAP.replace(
      'oauth2: { skipApprovalScreen: true }',
      'oauth2: { skipApprovalScreen: true, passwordConnector: ldap }',
    );
    const doc = DexConfigDocument.parse(text);
    doc.apply({ op: 'connector.move', id: 'ldap', to: 0 });
    doc.apply({ op: 'connector.rename', from: 'ldap', to: 'corp' });
    assert.deepEqual(
      doc.connectors().map((c) => c.id),
      ['corp', 'github'],
    );
    assert.equal((doc.dexView().oauth2 as Record<string, unknown>).passwordConnector, 'corp');
  });

  it('static.add generates a UUID userID, static.remove removes by email, passwordDB.set writes a boolean', () => {
    const doc = DexConfigDocument.parse(GITHUB_LDAP);
    doc.apply({
      op: 'static.add',
      entry: { email: 'new@example.com', hash: '$2b$12$' + 'b'.repeat(53), username: 'new', groups: ['ops'] },
    });
    const added = doc.staticPasswords().find((s) => s.email === 'new@example.com')!;
    assert.match(added.userID!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(added.groups, ['ops']);
    doc.apply({ op: 'static.remove', email: 'OPS@example.com' });
    assert.deepEqual(
      doc.staticPasswords().map((s) => s.email),
      ['admin@epinio.io', 'new@example.com'],
    );
    doc.apply({ op: 'passwordDB.set', enabled: false });
    assert.equal(doc.enablePasswordDB, false);
    assert.ok(doc.toString().includes('enablePasswordDB: false\n'));
  });

  it('static.add creates staticPasswords after enablePasswordDB when missing', () => {
    const after = edited('issuer: x\nenablePasswordDB: true\nstorage: {}\n', {
      op: 'static.add',
      entry: { email: 'a@b.c', hash: 'h', userID: 'u1' },
    });
    assert.equal(
      after,
      'issuer: x\nenablePasswordDB: true\nstaticPasswords:\n- email: "a@b.c"\n  hash: "h"\n  userID: "u1"\nstorage: {}\n',
    );
  });

  const refused: [string, string, DexEdit, string][] = [
    [
      'duplicate id',
      GITHUB_LDAP,
      { op: 'connector.add', connector: { type: 'github', id: 'ldap', name: 'x', config: {} } },
      'a connector with id "ldap" already exists (connectors[1]); ids must be unique, choose another one',
    ],
    [
      'reserved id',
      GITHUB_LDAP,
      { op: 'connector.add', connector: { type: 'github', id: 'local', name: 'x', config: {} } },
      'the id "local" is taken by Dex\'s password database (enablePasswordDB: true); choose another id',
    ],
    [
      'unknown id',
      GITHUB_LDAP,
      { op: 'connector.remove', id: 'nope' },
      'there is no connector with id "nope" in config.yaml; reload to see the current connectors',
    ],
    [
      'last connector',
      'issuer: x\nenablePasswordDB: false\nconnectors:\n- {type: github, id: gh, name: G}\n',
      { op: 'connector.remove', id: 'gh' },
      'cannot remove "gh": it is the last connector and the password database is off, so Dex would refuse to start ("server: no connectors specified") and every login would fail; add another connector or enable the password database first',
    ],
    [
      'password db off without connectors',
      CHART,
      { op: 'passwordDB.set', enabled: false },
      'cannot turn off the password database while config.yaml has no connectors: Dex would refuse to start ("server: no connectors specified") and every login would fail; add a connector first',
    ],
    [
      'duplicate email',
      CHART,
      { op: 'static.add', entry: { email: 'Admin@Epinio.io', hash: 'h' } },
      'a static password for "Admin@Epinio.io" already exists (emails are compared without case); change its password instead',
    ],
    [
      'no hash',
      CHART,
      { op: 'static.add', entry: { email: 'x@y.z' } },
      'a static password needs a hash (or hashFromEnv): Dex refuses to start with an entry without one',
    ],
    [
      'move out of range',
      GITHUB_LDAP,
      { op: 'connector.move', id: 'github', to: 2 },
      'cannot move "github" to position 2: positions run from 0 to 1',
    ],
    [
      'set id',
      GITHUB_LDAP,
      { op: 'connector.set', id: 'github', path: ['id'], value: 'x' },
      'use rename to change a connector id: it also updates oauth2.passwordConnector, and rolesMapping must follow',
    ],
    [
      'replace without id',
      GITHUB_LDAP,
      { op: 'connector.replace', id: 'github', yaml: 'type: github\nname: G\n' },
      'the connector entry has no id (or it is not text): Dex requires type, id and name. Nothing was changed.',
    ],
    [
      'an edit of a document whose anchor name the printer refuses (U+FEFF inside; found by the fuzzer)',
      'issuer: https://x\nconnectors:\n- type: github\n  id: &g\ufeffthub github\n  name: GitHub\n',
      { op: 'connector.add', connector: { type: 'oidc', id: 'o', name: 'O', config: {} } },
      'config.yaml cannot be edited: Anchor must not contain whitespace or control characters: "g\\ufeffthub". Rename that anchor (&name) with letters, digits, - and _ only; nothing was changed',
    ],
    [
      'unknown static email',
      CHART,
      { op: 'static.setHash', email: 'x@y.z', hash: 'h' },
      'there is no static password for "x@y.z" in config.yaml; reload to see the current entries',
    ],
  ];
  for (const [what, text, edit, message] of refused) {
    it(`refuses ${what} and changes nothing`, () => {
      const doc = DexConfigDocument.parse(text);
      assert.throws(
        () => doc.apply(edit),
        (err: unknown) => err instanceof DexEditError && err.message === message,
      );
      assert.equal(doc.toString(), text);
    });
  }

  it('replace with invalid YAML reports line and column', () => {
    const doc = DexConfigDocument.parse(GITHUB_LDAP);
    assert.throws(
      () => doc.apply({ op: 'connector.replace', id: 'github', yaml: 'type: github\nid: [x\n' }),
      (err: unknown) =>
        err instanceof DexEditError &&
        /^the connector entry is not valid YAML at line \d+, column \d+: .+\. Nothing was changed\.$/.test(
          err.message,
        ),
    );
    assert.equal(doc.toString(), GITHUB_LDAP);
  });
});

describe('mapping keys as Dex reads them', () => {
  it('keeps a plain key such as e0 a string (the YAML 1.1 schema alone would read it as NaN)', () => {
    const doc = DexConfigDocument.parse(
      'issuer: https://a\nconnectors:\n- type: oidc\n  id: o\n  name: O\n  config:\n    e0: "x"\n    1: "y"\n',
    );
    assert.deepEqual(doc.connector('o')?.config, { e0: 'x', 1: 'y' });
    assert.deepEqual(Object.keys(doc.connector('o')!.config), ['1', 'e0']);
  });
});
