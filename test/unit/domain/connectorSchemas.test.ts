import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONNECTOR_SCHEMAS, schemaFor } from '../../../source/domain/connectorSchemas.js';
import { isSecretPath, maskConnectorConfig } from '../../../source/domain/masking.js';

describe('connector schemas', () => {
  it('cover the 15 connector types of dex-connectors.md §7', () => {
    assert.deepEqual(CONNECTOR_SCHEMAS.map((s) => s.type).sort(), [
      'atlassian-crowd',
      'authproxy',
      'bitbucket-cloud',
      'gitea',
      'github',
      'gitlab',
      'google',
      'keystone',
      'ldap',
      'linkedin',
      'microsoft',
      'oauth',
      'oidc',
      'openshift',
      'saml',
    ]);
  });

  it('every field has a label and help; enums list values; objects have fields', () => {
    const walk = (fields: NonNullable<ReturnType<typeof schemaFor>>['fields']): void => {
      for (const f of fields) {
        assert.ok(f.label && f.help, `${f.key} needs label and help`);
        if (f.kind === 'enum') assert.ok(f.enumValues?.length, f.key);
        if (f.kind === 'objectList') assert.ok(f.fields?.length, f.key);
        if (f.fields) walk(f.fields);
      }
    };
    for (const s of CONNECTOR_SCHEMAS) walk(s.fields);
  });

  it('secrets: clientSecret everywhere, bindPW, keystonePassword, mockPassword password', () => {
    for (const s of CONNECTOR_SCHEMAS)
      if (s.fields.some((f) => f.key === 'clientSecret'))
        assert.equal(isSecretPath(s.type, ['clientSecret']), true, s.type);
    assert.equal(isSecretPath('ldap', ['bindPW']), true);
    assert.equal(isSecretPath('keystone', ['keystonePassword']), true);
    assert.equal(isSecretPath('mockPassword', ['password']), true);
    assert.equal(isSecretPath('ldap', ['bindDN']), false);
    assert.equal(isSecretPath('github', ['orgs', 0, 'name']), false);
  });

  it('maskConnectorConfig replaces secrets with *** and leaves the rest', () => {
    assert.deepEqual(maskConnectorConfig('ldap', { host: 'h', bindPW: 'pw', userSearch: { baseDN: 'b' } }), {
      host: 'h',
      bindPW: '***',
      userSearch: { baseDN: 'b' },
    });
    assert.deepEqual(maskConnectorConfig('github', { clientsecret: 'x', clientID: 'id' }), {
      clientsecret: '***',
      clientID: 'id',
    });
  });

  it('samlExperimental resolves to the saml schema', () => {
    assert.equal(schemaFor('samlExperimental')?.type, 'saml');
    assert.equal(schemaFor('nope'), undefined);
  });
});
