import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  filterLogins,
  foldLogins,
  loginUser,
  type RefreshTokenRecord,
} from '../../../source/domain/logins.js';
import { usersFromSecrets } from '../../../source/domain/users.js';
import { serverSecretName } from '../../../source/domain/users.js';

const token = (over: Partial<RefreshTokenRecord>): RefreshTokenRecord => ({
  name: 'rt1',
  clientId: 'epinio-cli',
  connectorId: 'ldap',
  userId: 'u1',
  username: 'Jane',
  preferredUsername: '',
  email: 'jane@example.com',
  emailVerified: true,
  groups: ['devs'],
  createdAt: '2026-01-01T00:00:00Z',
  lastUsed: '2026-01-02T00:00:00Z',
  ...over,
});

describe('foldLogins', () => {
  it('one row per connector and user id, claims of the most recently used token', () => {
    const rows = foldLogins([
      token({ name: 'a', clientId: 'epinio-ui', groups: ['old'], lastUsed: '2026-01-02T00:00:00Z' }),
      token({
        name: 'b',
        clientId: 'epinio-cli',
        groups: ['new', 'admins'],
        lastUsed: '2026-01-03T10:00:00.123456789Z',
      }),
      token({ name: 'c', connectorId: 'github', userId: 'u1', groups: ['gh'] }),
    ]);
    assert.deepEqual(rows, [
      {
        connectorId: 'github',
        userId: 'u1',
        username: 'Jane',
        email: 'jane@example.com',
        emailVerified: true,
        groups: ['gh'],
        lastUsed: '2026-01-02T00:00:00.000Z',
        clientId: 'epinio-cli',
        tokens: 1,
      },
      {
        connectorId: 'ldap',
        userId: 'u1',
        username: 'Jane',
        email: 'jane@example.com',
        emailVerified: true,
        groups: ['new', 'admins'],
        lastUsed: '2026-01-03T10:00:00.123Z',
        clientId: 'epinio-cli',
        tokens: 2,
      },
    ]);
  });

  it('does not depend on the API order; Go zero time is "never"; sessions can only move last used later', () => {
    const a = token({
      name: 'a',
      lastUsed: '0001-01-01T00:00:00Z',
      createdAt: '2026-01-05T00:00:00Z',
      groups: ['x'],
    });
    const b = token({
      name: 'b',
      lastUsed: '0001-01-01T00:00:00Z',
      createdAt: '2026-01-04T00:00:00Z',
      groups: ['y'],
    });
    const sessions = [
      {
        userId: 'u1',
        connectorId: 'ldap',
        refs: [{ id: 'a', clientId: 'epinio-cli', lastUsed: '2026-02-01T00:00:00Z' }],
      },
      // An offline session without refresh tokens: no claims, so no row.
      { userId: 'ghost', connectorId: 'ldap', refs: [] },
    ];
    const one = foldLogins([a, b], sessions);
    const two = foldLogins([b, a], sessions);
    assert.deepEqual(one, two);
    assert.equal(one.length, 1);
    assert.deepEqual(one[0]!.groups, ['x']);
    assert.equal(one[0]!.lastUsed, '2026-02-01T00:00:00.000Z');
    assert.equal(foldLogins([a]).at(0)!.lastUsed, undefined);
  });

  it('an empty user id never merges two tokens', () => {
    const rows = foldLogins([token({ name: 'a', userId: '' }), token({ name: 'b', userId: '' })]);
    assert.equal(rows.length, 2);
  });
});

describe('loginUser', () => {
  const secret = (name: string, username: string) => ({
    name,
    namespace: 'epinio',
    resourceVersion: '1',
    type: 'Opaque',
    labels: {},
    annotations: { 'epinio.io/roles': 'user' },
    data: { username },
  });
  const users = usersFromSecrets([secret('my-jane', 'jane@example.com')]);

  it('the existing Secret by exact email, else the name epinio-server will create', () => {
    assert.deepEqual(
      { ...loginUser({ email: 'jane@example.com' }, users), user: undefined },
      { secretName: 'my-jane', exists: true, user: undefined },
    );
    assert.deepEqual(loginUser({ email: 'Jane@example.com' }, users), {
      secretName: serverSecretName('Jane@example.com'),
      exists: false,
    });
    assert.equal(loginUser({ email: '' }, users), undefined);
  });

  it('filters by connector', () => {
    const rows = foldLogins([token({ connectorId: 'a' }), token({ connectorId: 'b' })]);
    assert.deepEqual(
      filterLogins(rows, ['b']).map((r) => r.connectorId),
      ['b'],
    );
    assert.equal(filterLogins(rows, []).length, 2);
  });
});
