// The pure parts of export / diff -f / apply -f: secret references and their resolution (a commented
// secret and a copy come back as the cluster has them, a block-scalar secret keeps its value), the
// manifest's round trip, and a desired document without comments keeping the cluster copy's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { formatDesiredFile, parseDesiredFile } from '../../../source/domain/desiredFile.js';
import { keepClusterComments } from '../../../source/domain/keepComments.js';
import {
  configLineMask,
  exportConfigText,
  hasComments,
  resolveConfigRefs,
  restoreMaskedLines,
  SecretRefError,
} from '../../../source/domain/secretRefs.js';

const CONFIG = `issuer: https://dex.example.com
storage: { type: kubernetes }
connectors:
- type: oidc
  id: kc
  name: Keycloak
  config:
    issuer: https://kc.example.com
    clientID: epinio
    clientSecret: "s3cret-value-1"   # rotated in May
    # old clientSecret: s3cret-value-0
    redirectURI: https://dex.example.com/callback
- type: ldap
  id: ldap
  name: LDAP
  config:
    host: ldap:636
    bindPW: |
      multi-line-pw
`;

const resolve = (desired: string, current: string) =>
  restoreMaskedLines(resolveConfigRefs(desired, current), current, configLineMask(current));

test('export: every secret a reference, commented secrets masked; resolving gives back the exact text', () => {
  const exported = exportConfigText(CONFIG);
  for (const secret of ['s3cret-value-1', 's3cret-value-0', 'multi-line-pw'])
    assert.equal(exported.includes(secret), false);
  assert.match(
    exported,
    /clientSecret: "<secret:connectors\[kc\]\.config\.clientSecret>" {3}# rotated in May\n/,
  );
  assert.match(exported, /# old clientSecret: \*\*\*\n/);
  assert.match(exported, /bindPW: "<secret:connectors\[ldap\]\.config\.bindPW>"/);
  const back = resolve(exported, CONFIG);
  // The block scalar comes back as a quoted scalar of the same value; everything else byte for byte.
  assert.equal(back, CONFIG.replace('|\n      multi-line-pw\n', '"multi-line-pw\\n"\n'));
  assert.deepEqual(parse(back), parse(CONFIG));
});

test('a reference with no value in the cluster names itself; a filled-in value is kept', () => {
  const exported = exportConfigText(CONFIG).replace('connectors[kc]', 'connectors[gone]');
  assert.throws(
    () => resolveConfigRefs(exported, CONFIG),
    (err: unknown) =>
      err instanceof SecretRefError &&
      err.message ===
        '"<secret:connectors[gone].config.clientSecret>" has no value in the cluster to keep: fill it in (a value, or a $VARIABLE that Dex expands)',
  );
  const filled = exportConfigText(CONFIG).replace(
    '"<secret:connectors[kc].config.clientSecret>"',
    '"new-one"',
  );
  assert.match(resolveConfigRefs(filled, CONFIG), /clientSecret: "new-one" {3}# rotated/);
});

test('the manifest reads back exactly what was written; data (base64) reads too', () => {
  const state = {
    namespace: 'epinio',
    resourceVersion: '42',
    config: exportConfigText(CONFIG),
    mapping: '- connectorId: kc\n  groups: []\n',
  };
  const text = formatDesiredFile(state, ['header']);
  assert.deepEqual(parseDesiredFile(text, 'f.yaml'), state);
  const b64 = `apiVersion: v1\nkind: Secret\nmetadata: {name: dex-config}\ndata:\n  rolesMapping: ${Buffer.from('[]\n').toString('base64')}\n`;
  assert.deepEqual(parseDesiredFile(b64, 'f.yaml'), { mapping: '[]\n' });
  assert.throws(
    () => parseDesiredFile(b64.replace(/rolesMapping: .*/, 'rolesMapping: not*base64'), 'f.yaml'),
    /^DesiredFileError: f\.yaml: data\.rolesMapping is not base64 \(use stringData for plain text\)$/,
  );
});

test('a desired document without comments keeps the cluster copy’s; one with comments is taken as written', () => {
  const current =
    '# the mapping\n- connectorId: kc   # Keycloak\n  groups:\n  - id: ops\n    roles: ["admin"]\n';
  const plain =
    '- connectorId: kc\n  groups:\n  - id: ops\n    roles: [admin, user]\n  - id: dev\n    roles: [user]\n';
  const kept = keepClusterComments(current, plain);
  assert.equal(
    kept,
    '# the mapping\n- connectorId: kc   # Keycloak\n  groups:\n  - id: ops\n    roles: ["admin", "user"]\n  - id: "dev"\n    roles: ["user"]\n',
  );
  assert.deepEqual(parse(kept), parse(plain));
  const commented = `# mine\n${plain}`;
  assert.equal(keepClusterComments(current, commented), commented);
  assert.equal(hasComments(current), true);
  assert.equal(hasComments(plain), false);
  assert.equal(hasComments('- a: "x # not a comment"\n'), false);
});

test('moved items keep their own comments (matched by id, email or connectorId, not by position)', () => {
  const current =
    'connectors:\n- type: github   # the org login\n  id: gh\n  name: GitHub\n- type: ldap\n  id: corp   # the directory\n  name: LDAP\n';
  const moved = 'connectors:\n- {type: ldap, id: corp, name: LDAP}\n- {type: github, id: gh, name: GitHub}\n';
  const kept = keepClusterComments(current, moved);
  assert.deepEqual(parse(kept), parse(moved));
  assert.match(kept, /- type: ldap\n {2}id: corp {3}# the directory\n/);
  assert.match(kept, /- type: github +# the org login\n/);
  assert.ok(kept.indexOf('corp') < kept.indexOf('gh'));
});
