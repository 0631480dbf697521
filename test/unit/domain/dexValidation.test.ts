import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DexConfigDocument } from '../../../source/domain/dexConfig.js';
import { validateDexConfig } from '../../../source/domain/dexValidation/index.js';
import type { Problem } from '../../../source/domain/problems.js';

const HEAD = 'issuer: https://auth.example.com\nstorage: { type: kubernetes }\nenablePasswordDB: true\n';
const validate = (text: string, dexVersion?: string): Problem[] =>
  validateDexConfig(DexConfigDocument.parse(text), { dexVersion });
const withConnector = (entry: string) => `${HEAD}connectors:\n${entry}`;
const find = (problems: Problem[], code: string) => problems.filter((p) => p.code === code);

const GOOD_GITHUB =
  '- type: github\n  id: github\n  name: GitHub\n  config:\n    clientID: "a"\n    clientSecret: "b"\n    redirectURI: "https://auth.example.com/callback"\n';

describe('validateDexConfig', () => {
  it('a complete github connector has no problems', () => {
    assert.deepEqual(validate(withConnector(GOOD_GITHUB)), []);
  });

  const cases: [string, string, Partial<Problem>, string?][] = [
    [
      'connector.duplicate-id',
      GOOD_GITHUB + GOOD_GITHUB,
      {
        severity: 'error',
        path: 'connectors[1].id',
        message:
          'the connector id "github" is also used by connectors[0]: Dex starts, but keeps only the last entry with this id, so every login through the others fails. Give each connector its own id.',
      },
    ],
    [
      'connector.reserved-id',
      GOOD_GITHUB.replace('id: github', 'id: local'),
      { severity: 'error', path: 'connectors[0].id' },
    ],
    [
      'connector.required',
      '- type: oidc\n  id: o\n  name: O\n  config: { clientID: "a", clientSecret: "b", redirectURI: "https://auth.example.com/callback" }\n',
      {
        severity: 'error',
        path: 'connectors[0].config.issuer',
        message:
          'issuer (Issuer) of connector "o" is missing: Dex cannot open this connector, so Dex starts without this connector (Dex before v2.45 does not start at all).',
      },
    ],
    [
      'connector.redirect-uri',
      GOOD_GITHUB.replace('auth.example.com/callback', 'auth.example.com/oauth2/callback'),
      {
        severity: 'error',
        path: 'connectors[0].config.redirectURI',
        message:
          'redirectURI of connector "github" is "https://auth.example.com/oauth2/callback" but must be "https://auth.example.com/callback" (the issuer + /callback): Dex starts, but every login through it fails ("expected callback URL ... did not match").',
      },
    ],
    [
      'connector.dollar',
      GOOD_GITHUB.replace('clientSecret: "b"', 'clientSecret: "ab$$cd"'),
      { severity: 'warning', path: 'connectors[0].config.clientSecret' },
    ],
    [
      'connector.template',
      GOOD_GITHUB.replace('clientID: "a"', 'clientID: "{{ .Env.X }}"'),
      { severity: 'warning', path: 'connectors[0].config.clientID' },
    ],
    [
      'connector.yaml11-bool',
      GOOD_GITHUB.replace('clientID: "a"', 'clientID: on'),
      {
        severity: 'error',
        path: 'connectors[0].config.clientID',
        message:
          'clientID of connector "github" is written as unquoted on, which Dex (YAML 1.1) reads as the boolean true: Dex refuses to start (it cannot decode the connector config). Quote it: "on".',
      },
    ],
    [
      'connector.type',
      GOOD_GITHUB.replace('clientID: "a"', 'clientID: 0123'),
      { severity: 'error', path: 'connectors[0].config.clientID' },
    ],
    [
      'connector.unknown-field',
      GOOD_GITHUB + '    teamNameFeild: slug\n',
      {
        severity: 'warning',
        path: 'connectors[0].config.teamNameFeild',
        message: 'teamNameFeild is not a github setting: Dex silently ignores it. Check the spelling.',
      },
    ],
    [
      'connector.case-duplicate',
      GOOD_GITHUB + '    clientId: "c"\n',
      { severity: 'warning', path: 'connectors[0].config.clientId' },
    ],
    [
      'connector.keys-outside-config',
      GOOD_GITHUB + '  clientSecret: x\n',
      { severity: 'error', path: 'connectors[0].clientSecret' },
    ],
    [
      'connector.unknown-type',
      '- type: githb\n  id: g\n  name: G\n',
      { severity: 'error', path: 'connectors[0].type' },
    ],
    [
      'connector.enum',
      GOOD_GITHUB + '    teamNameField: slugs\n',
      { severity: 'error', path: 'connectors[0].config.teamNameField' },
    ],
    [
      'connector.type',
      '- type: oidc\n  id: o\n  name: O\n  config: { issuer: "https://x", clientID: "a", clientSecret: "b", redirectURI: "https://auth.example.com/callback", rootCAs: "/etc/ca.pem" }\n',
      { severity: 'error', path: 'connectors[0].config.rootCAs' },
    ],
    [
      'connector.base64-pem',
      '- type: saml\n  id: s\n  name: S\n  config: { ssoURL: "u", usernameAttr: "n", emailAttr: "e", redirectURI: "https://auth.example.com/callback", caData: "-----BEGIN CERTIFICATE-----" }\n',
      { severity: 'error', path: 'connectors[0].config.caData' },
    ],
    [
      'connector.rule',
      GOOD_GITHUB + '    org: acme\n    orgs: [{ name: acme }]\n',
      { severity: 'error', path: 'connectors[0].config.org' },
    ],
    [
      'connector.main-only',
      GOOD_GITHUB.replace('  name: GitHub\n', '  name: GitHub\n  grantTypes: [password]\n'),
      { severity: 'warning', path: 'connectors[0].grantTypes' },
      'v2.45.1-epinio-pkce',
    ],
    [
      'yaml.duplicate-key',
      GOOD_GITHUB + '    clientID: "again"\n',
      { severity: 'warning', path: 'connectors[0].config.clientID' },
    ],
  ];
  for (const [code, entry, expected, dexVersion] of cases) {
    it(`${code}: ${expected.path}`, () => {
      const hits = find(validate(withConnector(entry), dexVersion), code);
      assert.equal(hits.length, 1, JSON.stringify(validate(withConnector(entry), dexVersion)));
      for (const [k, v] of Object.entries(expected)) assert.equal(hits[0][k as keyof Problem], v);
    });
  }

  it('main-only keys are accepted without warning on Dex main', () => {
    const text = withConnector(
      GOOD_GITHUB.replace('  name: GitHub\n', '  name: GitHub\n  grantTypes: [password]\n'),
    );
    assert.deepEqual(find(validate(text, 'master'), 'connector.main-only'), []);
  });

  it('oauth2.passwordConnector must name a password-type connector', () => {
    const text = withConnector(GOOD_GITHUB).replace(
      'enablePasswordDB: true\n',
      'enablePasswordDB: true\noauth2: { passwordConnector: github }\n',
    );
    const hits = find(validate(text), 'oauth2.password-connector');
    assert.equal(
      hits[0].message,
      'oauth2.passwordConnector names "github", a github connector, but only ldap, keystone, atlassian-crowd or local can check passwords: Dex starts, but every password login fails.',
    );
  });

  it('static passwords: cost, duplicate email, default password, missing password DB', () => {
    const hash = (cost: string) => `$2a$${cost}$${'c'.repeat(53)}`;
    const text = `issuer: https://a\nstorage: {}\nenablePasswordDB: false\nconnectors:\n${GOOD_GITHUB}staticPasswords:\n- { email: a@x.io, hash: "${hash('09')}", userID: "1" }\n- { email: A@X.io, hash: "$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W", userID: "2" }\n`;
    const problems = validate(text);
    assert.equal(
      find(problems, 'static.cost')[0].message,
      'the hash of static password "a@x.io" has bcrypt cost 9, but Dex accepts only 10 to 16: Dex starts, but every login of this user fails. Set the password again (cost 12).',
    );
    assert.equal(find(problems, 'static.duplicate-email')[0].path, 'staticPasswords[1].email');
    assert.equal(find(problems, 'static.default-password')[0].severity, 'warning');
    assert.equal(find(problems, 'static.without-passworddb')[0].severity, 'error');
  });

  it('.nan and .inf anywhere are errors: Dex converts the file to JSON first (found by the fuzzer)', () => {
    const problems = validate(
      `${HEAD}staticClients:\n- id: ui\n  name: .nan\nx-unknown: -.Inf\nquoted: ".nan"\nconnectors:\n${GOOD_GITHUB}`,
    );
    assert.deepEqual(
      find(problems, 'yaml.non-finite').map((p) => [p.severity, p.path, p.message]),
      [
        [
          'error',
          'staticClients[0].name',
          'staticClients[0].name is .nan, which YAML reads as NaN: Dex converts config.yaml to JSON, which has no such number: Dex refuses to start. Quote it if it is text.',
        ],
        [
          'error',
          'x-unknown',
          'x-unknown is -.Inf, which YAML reads as -Infinity: Dex converts config.yaml to JSON, which has no such number: Dex refuses to start. Quote it if it is text.',
        ],
      ],
    );
  });

  it('no secret value appears in any message', () => {
    const text = withConnector(GOOD_GITHUB.replace('clientSecret: "b"', 'clientSecret: "s3cr$t-value"'));
    for (const p of validate(text)) assert.ok(!p.message.includes('s3cr$t-value'), p.message);
  });

  it('a control character anywhere, even in a comment, is an error: yaml.v2 refuses the file (found by the fuzzer)', () => {
    assert.deepEqual(find(validate(`${HEAD}# red \u001b[31m comment\n`), 'yaml.control-character'), [
      {
        severity: 'error',
        code: 'yaml.control-character',
        path: '',
        message:
          'config.yaml contains the control character U+001B at line 4: Dex\'s YAML reader does not accept it anywhere, not even in a comment ("control characters are not allowed"): Dex refuses to start. Remove it.',
      },
    ]);
    // Tab, CR/LF, NEL and non-ASCII letters are fine.
    assert.deepEqual(find(validate(`${HEAD}# caf\u00e9\tok\u0085\r\n`), 'yaml.control-character'), []);
  });

  it("NEL, LS or PS anywhere is an error: yaml.v2 reads them as line breaks, so a comment goes on as YAML (found by CI's fuzzer through the real Dex)", () => {
    for (const [ch, code] of [
      ['\u0085', 'U+0085'],
      ['\u2028', 'U+2028'],
      ['\u2029', 'U+2029'],
    ] as const) {
      assert.deepEqual(find(validate(`${HEAD}# two org${ch}s) sharing: one app\n`), 'yaml.line-break'), [
        {
          severity: 'error',
          code: 'yaml.line-break',
          path: '',
          message: `config.yaml contains ${code} at line 4, which Dex's YAML reader takes for a line break (this tool's reader does not), even in a comment, so Dex reads other YAML than the tool shows (Dex refuses to start when that is not valid YAML). Replace it with a plain space or a newline.`,
        },
      ]);
    }
    assert.deepEqual(find(validate(`${HEAD}# caf\u00e9\tok\r\n`), 'yaml.line-break'), []);
  });

  it('an explicit core tag on a value not of that kind is an error: yaml.v2 cannot decode it (found by the fuzzer)', () => {
    const problems = validate(`${HEAD}logger:\n  level: !!int .nan\n  format: !!bool maybe\n`);
    assert.deepEqual(find(problems, 'yaml.tag'), [
      {
        severity: 'error',
        code: 'yaml.tag',
        path: 'logger.level',
        message:
          'logger.level is written as !!int .nan (line 5), but .nan is not of that kind: Dex\'s YAML reader cannot decode it ("cannot decode ... as a !!int"): Dex refuses to start. Drop the tag, or quote the value if it is text.',
      },
      {
        severity: 'error',
        code: 'yaml.tag',
        path: 'logger.format',
        message:
          'logger.format is written as !!bool maybe (line 6), but maybe is not of that kind: Dex\'s YAML reader cannot decode it ("cannot decode ... as a !!bool"): Dex refuses to start. Drop the tag, or quote the value if it is text.',
      },
    ]);
    // A value of the tag's kind, and !!str on anything, are what yaml.v2 decodes.
    assert.deepEqual(
      find(validate(`${HEAD}expiry:\n  x: !!int 12\n  y: !!float 1\n  z: !!str abc\n`), 'yaml.tag'),
      [],
    );
  });
});
