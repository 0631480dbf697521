import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  dexStorageType,
  offlineSessionRecord,
  parseDexStorageJson,
  refreshTokenRecord,
} from '../../../source/store/dexStorage.js';

const CANARY = 'CANARY-7f3e9a';
// As Dex's storage/kubernetes writes a RefreshToken (untagged CreatedAt/LastUsed keep Go names).
const rawToken = {
  apiVersion: 'dex.coreos.com/v1',
  kind: 'RefreshToken',
  metadata: { name: 'rt-1', namespace: 'epinio' },
  CreatedAt: '2026-01-01T00:00:00Z',
  LastUsed: '2026-01-02T00:00:00Z',
  clientID: 'epinio-cli',
  scopes: ['openid', 'offline_access'],
  token: `${CANARY}-token`,
  obsoleteToken: `${CANARY}-obsolete`,
  nonce: `${CANARY}-nonce`,
  claims: {
    userID: 'u1',
    username: 'jane',
    preferredUsername: 'jd',
    email: 'jane@example.com',
    emailVerified: true,
    groups: ['devs', 7, 'ops'],
  },
  connectorID: 'ldap',
  connectorData: Buffer.from(`${CANARY}-data`).toString('base64'),
};

describe('the first parse of Dex storage objects', () => {
  it('drops token, obsoleteToken, nonce and connectorData at any depth while parsing', () => {
    const list = { items: [rawToken, { connectorData: 'x', refresh: { c: { ID: 'rt-1', nonce: CANARY } } }] };
    const parsed = parseDexStorageJson(JSON.stringify(list));
    assert.ok(!JSON.stringify(parsed).includes(CANARY));
    assert.ok(!JSON.stringify(parsed).includes(Buffer.from(CANARY).toString('base64').slice(0, 8)));
    assert.equal((parsed as { items: { clientID: string }[] }).items[0]!.clientID, 'epinio-cli');
  });

  it('a record keeps only claims and times, even from an object that still holds secrets', () => {
    const rec = refreshTokenRecord(rawToken);
    assert.deepEqual(rec, {
      name: 'rt-1',
      clientId: 'epinio-cli',
      connectorId: 'ldap',
      userId: 'u1',
      username: 'jane',
      preferredUsername: 'jd',
      email: 'jane@example.com',
      emailVerified: true,
      groups: ['devs', 'ops'],
      createdAt: '2026-01-01T00:00:00Z',
      lastUsed: '2026-01-02T00:00:00Z',
    });
    assert.ok(!JSON.stringify(rec).includes(CANARY));
    const s = offlineSessionRecord({
      userID: 'u1',
      connID: 'ldap',
      connectorData: CANARY,
      refresh: { 'epinio-cli': { ID: 'rt-1', ClientID: 'epinio-cli', LastUsed: '2026-01-03T00:00:00Z' } },
    });
    assert.deepEqual(s, {
      userId: 'u1',
      connectorId: 'ldap',
      refs: [{ id: 'rt-1', clientId: 'epinio-cli', createdAt: undefined, lastUsed: '2026-01-03T00:00:00Z' }],
    });
  });

  it('reads storage.type from config.yaml (keys without case, as Dex); unreadable is undefined', () => {
    const dex = (text: string) => ({
      name: 'dex-config',
      namespace: 'epinio',
      resourceVersion: '1',
      type: 'Opaque',
      labels: {},
      annotations: {},
      data: { 'config.yaml': text },
    });
    assert.equal(dexStorageType(dex('issuer: x\nstorage:\n  type: memory\n')), 'memory');
    assert.equal(dexStorageType(dex('issuer: x\nStorage: {Type: sqlite3}\n')), 'sqlite3');
    assert.equal(dexStorageType(dex('issuer: [')), undefined);
    assert.equal(dexStorageType(undefined), undefined);
  });
});
