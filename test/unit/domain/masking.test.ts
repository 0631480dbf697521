// The masking rule's parts: the key pattern (what counts as a credential by name), config.yaml
// paths (schema first, structure of Dex's known sections), and `key: value` lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretConfigPath, isSecretKey, maskSecretLines } from '../../../source/domain/masking.js';

describe('isSecretKey', () => {
  it('judges a key by its last word, in any case style', () => {
    for (const k of [
      'clientSecret',
      'bindPW',
      'apiToken',
      'privateKey',
      'DB_PASSWORD',
      'credentials',
      'hash',
      'api-key',
      'clientsecret',
      'secret',
      'passwordHash',
      'accessKey',
    ])
      assert.equal(isSecretKey(k), true, k);
    for (const k of [
      'tokenURL',
      'passwordConnector',
      'secretName',
      'hashFromEnv',
      'secretEnv',
      'userIDKey',
      'enablePasswordDB',
      'clientID',
      'bindDN',
      'monkey',
      'tlsKey',
    ])
      assert.equal(isSecretKey(k), false, k);
  });
});

describe('isSecretConfigPath', () => {
  const typeOf = (i: number) => ['ldap', 'acme'][i];
  it('uses the schema for known types, the pattern elsewhere, and knows Dex sections', () => {
    assert.equal(isSecretConfigPath(['connectors', 0, 'config', 'bindPW'], typeOf), true);
    // ldap clientKey is a file path: the schema says it is not a secret value.
    assert.equal(isSecretConfigPath(['connectors', 0, 'config', 'clientKey'], typeOf), false);
    assert.equal(isSecretConfigPath(['connectors', 1, 'config', 'clientKey'], typeOf), true);
    assert.equal(isSecretConfigPath(['storage', 'config', 'password'], typeOf), true);
    assert.equal(isSecretConfigPath(['staticPasswords'], typeOf), false);
    assert.equal(isSecretConfigPath(['staticPasswords', 0, 'hash'], typeOf), true);
    assert.equal(isSecretConfigPath(['expiry', 'signingKeys'], typeOf), false);
    assert.equal(isSecretConfigPath(['x-vault', 'nested', 'privateKey'], typeOf), true);
  });
});

describe('maskSecretLines', () => {
  it('masks commented-out secrets, their block continuation, and leaves other comments', () => {
    const text =
      'a: 1 # token=abc123\n# clientSecret: "s3"\n# note: fine\n#   privateKey: |\n#     PEM\n#   next: ok\nb: "x # y" # bindPW: zz\n';
    assert.equal(
      maskSecretLines(text, { comments: true }),
      'a: 1 # token=***\n# clientSecret: ***\n# note: fine\n#   privateKey: |\n#     ***\n#   next: ok\nb: "x # y" # bindPW: ***\n',
    );
  });

  it('in plain text (a log line, YAML that does not parse) masks any secret key', () => {
    assert.equal(
      maskSecretLines('GET /x failed: {"password":"p4ss","user":"u"}', { comments: false }),
      'GET /x failed: {"password":***',
    );
    assert.equal(
      maskSecretLines('staticPasswords:\n- email: a', { comments: false }),
      'staticPasswords:\n- email: a',
    );
  });
});
