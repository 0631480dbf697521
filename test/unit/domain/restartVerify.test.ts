// The pure half of restart verification: which connectors a change touched, what Dex's log says
// about them, and pod output made safe to print (secrets of the config masked, escapes stripped).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  changedConnectorIds,
  connectorOutcomes,
  maskPodText,
  secretValuesOf,
} from '../../../source/domain/restartVerify.js';

const BASE = `issuer: https://auth.example.com
connectors:
- type: github
  id: github
  name: GitHub
  config: { clientID: a, clientSecret: "gh-Secret-123456" }
- type: ldap
  id: ldap
  name: LDAP
  config: { host: ldap:389, bindDN: cn=dex, bindPW: "bind-Pw-98765" }
`;

describe('restart verification (domain)', () => {
  it('changed connectors: added and edited ones, not unchanged ones; every connector without a previous config', () => {
    const edited = BASE.replace('name: LDAP', 'name: Corporate LDAP');
    const added = `${BASE}- type: gitlab\n  id: gitlab\n  name: GitLab\n  config: { clientID: g }\n`;
    assert.deepEqual(changedConnectorIds(BASE, edited), ['ldap']);
    assert.deepEqual(changedConnectorIds(BASE, added), ['gitlab']);
    assert.deepEqual(changedConnectorIds(BASE, BASE), []);
    assert.deepEqual(changedConnectorIds(undefined, BASE), ['github', 'ldap']);
    assert.deepEqual(changedConnectorIds(BASE, 'connectors: [unclosed'), []);
  });

  it("connector outcomes from Dex's text and JSON logs: opened, failed with Dex's error, unknown when the log does not say", () => {
    const log = [
      'time=t level=INFO msg="config connector" connector_id=github',
      'time=t level=INFO msg="config connector" connector_id=ldap',
      'time=t level=ERROR msg="server: Failed to open connector" id=ldap err="failed to open connector: dial tcp: refused"',
      '{"level":"INFO","msg":"listening on","server":"http"}',
    ];
    assert.deepEqual(connectorOutcomes(log, ['github', 'ldap', 'gone']), [
      { id: 'github', opened: true },
      { id: 'ldap', opened: false, error: 'failed to open connector: dial tcp: refused' },
      { id: 'gone', opened: undefined },
    ]);
    // Named but Dex never listened (still starting, or the log was cut): not "opened".
    assert.deepEqual(connectorOutcomes(log.slice(0, 1), ['github']), [{ id: 'github', opened: undefined }]);
  });

  it('pod output: every secret value of the config masked anywhere in a line, key=value secrets masked, escapes stripped', () => {
    const secrets = secretValuesOf([BASE]);
    assert.ok(secrets.includes('gh-Secret-123456') && secrets.includes('bind-Pw-98765'));
    const line =
      '\x1b]0;owned\x07invalid config value "gh-Secret-123456" \x1b[31mfor\x1b[0m bind bind-Pw-98765 clientSecret: other-value';
    assert.equal(maskPodText(line, secrets), 'invalid config value "***" for bind *** clientSecret: ***');
    assert.equal(maskPodText('plain line', []), 'plain line');
  });
});
