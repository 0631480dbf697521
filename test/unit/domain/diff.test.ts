import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { maskDexConfigText, maskedDexDiff, unifiedDiff } from '../../../source/domain/diff.js';

const HASH = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W';
const CONFIG = `issuer: https://auth.example.com
enablePasswordDB: true
staticPasswords:
- email: "admin@epinio.io"
  hash: "${HASH}"
staticClients:
- { id: epinio-ui, name: 'Epinio UI', secret: "Qm8xT4vZr2LcN7pWd3HsY6kJa9EfU1Gb" }
connectors:
- type: github
  id: github
  config:
    clientID: "Ov23liExampleClient01"
    clientSecret: "fake0github0client0secret"   # rotated fake0github0client0secret
- type: ldap
  id: ldap
  config:
    bindPW: fake-bind-password
- type: keystone
  id: ks
  config:
    keystonePassword: 'ks-secret-pw'
- type: mockPassword
  id: mock
  config:
    password: mock-pass-1
`;
const SECRETS = [
  HASH,
  'Qm8xT4vZr2LcN7pWd3HsY6kJa9EfU1Gb',
  'fake0github0client0secret',
  'fake-bind-password',
  'ks-secret-pw',
  'mock-pass-1',
];

describe('maskDexConfigText', () => {
  it('masks every known secret, also where it is repeated in a comment, and keeps the rest', () => {
    const masked = maskDexConfigText(CONFIG);
    for (const s of SECRETS) assert.ok(!masked.includes(s), `leaks ${s}`);
    assert.match(masked, /^ {2}hash: \*\*\*$/m);
    assert.match(masked, /secret: \*\*\* \}$/m);
    assert.match(masked, /^ {4}clientSecret: \*\*\* {3}# rotated \*\*\*$/m);
    assert.match(masked, /^ {4}bindPW: \*\*\*$/m);
    assert.match(masked, /^ {4}keystonePassword: \*\*\*$/m);
    assert.match(masked, /^ {4}password: \*\*\*$/m);
    assert.match(masked, /clientID: "Ov23liExampleClient01"/);
    assert.equal(masked.split('\n').length, CONFIG.split('\n').length);
  });

  it('masks by key name when the YAML does not parse', () => {
    const broken = 'connectors:\n- config:\n    clientSecret: "s3cr3t-value"\n  [oops\n';
    const masked = maskDexConfigText(broken);
    assert.ok(!masked.includes('s3cr3t-value'));
    assert.match(masked, /clientSecret: \*\*\*/);
  });
});

describe('maskedDexDiff', () => {
  it('shows a changed secret as "*** (changed)" without its value', () => {
    const after = CONFIG.replaceAll('fake0github0client0secret', 'brand-new-secret-value');
    const diff = maskedDexDiff(CONFIG, after);
    assert.ok(!diff.includes('brand-new-secret-value'));
    for (const s of SECRETS) assert.ok(!diff.includes(s));
    assert.match(diff, /^- {4}clientSecret: \*\*\* {3}# rotated \*\*\*$/m);
    assert.match(diff, /^\+ {4}clientSecret: \*\*\* \(changed\) {3}# rotated \*\*\*$/m);
    assert.match(diff, /^--- a\/config\.yaml$/m);
    assert.match(diff, /^\+\+\+ b\/config\.yaml$/m);
  });

  it('shows no secret line when only another field changed, and nothing when nothing changed', () => {
    const after = CONFIG.replace('Ov23liExampleClient01', 'Ov23liExampleClient02');
    const diff = maskedDexDiff(CONFIG, after);
    assert.deepEqual(
      diff.split('\n').filter((l) => /^[-+] /.test(l)),
      ['-    clientID: "Ov23liExampleClient01"', '+    clientID: "Ov23liExampleClient02"'],
    );
    assert.equal(maskedDexDiff(CONFIG, CONFIG), '');
  });

  it('a newly added connector shows its secret masked', () => {
    const after = `${CONFIG}- type: gitlab\n  id: gitlab\n  config:\n    clientSecret: "gl-secret-123"\n`;
    const diff = maskedDexDiff(CONFIG, after);
    assert.ok(!diff.includes('gl-secret-123'));
    assert.match(diff, /^\+ {4}clientSecret: \*\*\*$/m);
  });

  it('property: random secrets never appear in the diff', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{6,30}$/);
    fc.assert(
      fc.property(secret, secret, (a, b) => {
        const before = `connectors:\n- type: oidc\n  id: oidc\n  config:\n    clientSecret: "${a}"\n`;
        const after = `connectors:\n- type: oidc\n  id: oidc\n  config:\n    clientSecret: "${b}"\n    issuer: x\n`;
        const diff = maskedDexDiff(before, after);
        assert.ok(!diff.includes(a) && !diff.includes(b));
      }),
    );
  });
});

describe('unifiedDiff', () => {
  it('renders readable headers and hunks, and nothing for equal texts', () => {
    assert.equal(
      unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', { label: 'rolesMapping' }),
      '--- a/rolesMapping\n+++ b/rolesMapping\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n',
    );
    assert.equal(unifiedDiff('x\n', 'x\n', { label: 'rolesMapping' }), '');
    assert.equal(
      unifiedDiff('1\n2\n3\n4\n5\n', '1\n2\n3\n4\nV\n', { label: 'f', context: 1 }),
      '--- a/f\n+++ b/f\n@@ -4,2 +4,2 @@\n 4\n-5\n+V\n',
    );
  });
});
