// A user Secret changed since it was read: both stores report the same thing, naming what the other
// writer changed (data keys, annotations, labels), not the key this write meant to set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { userConflict } from '../../../source/store/objects.js';
import type { SecretObject } from '../../../source/domain/objects.js';

const base: SecretObject = {
  name: 'r0b5e5c6f1d2-user',
  namespace: 'epinio',
  resourceVersion: '10',
  type: 'BasicAuth',
  labels: { 'epinio.io/api-user-credentials': 'true' },
  annotations: { 'epinio.io/roles': 'admin' },
  data: { username: 'ops', password: '$2b$10$x' },
};

test('a conflict on unrelated metadata names that metadata, not the roles annotation', () => {
  const latest = { ...base, resourceVersion: '11', labels: { ...base.labels, team: 'blue' } };
  const err = userConflict(base, latest);
  assert.deepEqual(err.overlappingKeys, ['label team']);
  assert.equal(
    err.message,
    'conflict: r0b5e5c6f1d2-user was changed by someone else since it was loaded (changed meanwhile: label team); nothing was written',
  );
});

test('data keys, annotations and labels are all listed, data first', () => {
  const latest = {
    ...base,
    resourceVersion: '12',
    data: { ...base.data, password: '$2b$10$y' },
    annotations: { 'epinio.io/roles': 'user' },
    labels: {},
  };
  assert.deepEqual(userConflict(base, latest).overlappingKeys, [
    'password',
    'annotation epinio.io/roles',
    'label epinio.io/api-user-credentials',
  ]);
});

test('only the resourceVersion moved: said so', () => {
  const err = userConflict(base, { ...base, resourceVersion: '13' });
  assert.deepEqual(err.overlappingKeys, []);
  assert.match(err.message, /\(changed meanwhile: nothing but its resourceVersion\)/);
});
