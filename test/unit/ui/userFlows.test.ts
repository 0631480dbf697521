// The user write flows on a demo file store: what they write, what they return, and that a
// failed write is a result (never a throw) that names what failed and leaves the file as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  createUserFlow,
  deleteUserFlow,
  setPasswordFlow,
  setRolesFlow,
} from '../../../source/ui/dialogs/userFlows.js';
import { serverSecretName } from '../../../source/domain/users.js';
import { hashPassword, verifyPassword } from '../../../source/password/hash.js';
import { spiedDemoStore, writes } from './helpers.js';

test('create, roles, password, delete: each writes once and returns the re-read users', async () => {
  const { store, calls } = await spiedDemoStore();
  const created = await createUserFlow(store, {
    username: 'flow-user',
    password: 'a-good-password',
    roles: ['user', 'admin:team-blue'],
    namespaces: ['team-blue'],
  });
  assert.equal(created.status.level, 'success');
  assert.equal(created.status.message, `created user flow-user (Secret ${serverSecretName('flow-user')})`);
  const secret = created.users!.find((u) => u.data.username === 'flow-user')!;
  assert.equal(secret.annotations['epinio.io/roles'], 'admin:team-blue,user');
  assert.ok(await verifyPassword('a-good-password', secret.data.password!));

  const roles = await setRolesFlow(store, secret, 'flow-user', ['user']);
  assert.deepEqual(roles.status, {
    level: 'success',
    message: 'roles of flow-user set to "user" (effective on the next request)',
  });
  const afterRoles = roles.users!.find((u) => u.name === secret.name)!;
  assert.equal(afterRoles.annotations['epinio.io/roles'], 'user');

  const hash = await hashPassword('another-password', 10);
  const pw = await setPasswordFlow(store, afterRoles, 'flow-user', hash, 'another-password');
  assert.deepEqual(pw.status, {
    level: 'success',
    message: 'password of flow-user set and verified (re-read from demo)',
  });

  const afterPw = pw.users!.find((u) => u.name === secret.name)!;
  const deleted = await deleteUserFlow(store, afterPw, 'flow-user');
  assert.equal(deleted.status.message, `deleted user flow-user (Secret ${secret.name})`);
  assert.ok(!deleted.users!.some((u) => u.name === secret.name));
  assert.deepEqual(
    writes(calls).map((c) => c.method),
    ['createUser', 'setUserRoles', 'setUserPassword', 'deleteUser'],
  );
});

test('a refused write is a result naming what failed; nothing is written', async () => {
  const { store, calls, path } = await spiedDemoStore();
  const before = await readFile(path, 'utf8');
  const result = await createUserFlow(store, { username: 'admin', roles: ['admin'], namespaces: [] });
  assert.equal(result.users, undefined);
  assert.equal(result.status.level, 'error');
  assert.match(result.status.message, /^creating user admin failed: user admin already exists \(Secret /);
  assert.equal(result.status.hint, 'edit that user instead');
  assert.equal(await readFile(path, 'utf8'), before);
  assert.deepEqual(
    calls.filter((c) => c.method === 'listUsers'),
    [],
  );
});

test('a user deleted meanwhile: the roles flow reports the failure and writes nothing', async () => {
  const { store, path } = await spiedDemoStore();
  const [first] = await store.listUsers();
  await deleteUserFlow(store, first!, first!.data.username!);
  const before = await readFile(path, 'utf8');
  const gone = await setRolesFlow(store, first!, first!.data.username!, ['user']);
  assert.equal(gone.status.level, 'error');
  assert.equal(gone.users, undefined);
  assert.match(gone.status.message, new RegExp(`^setting the roles of ${first!.data.username} failed: `));
  assert.equal(await readFile(path, 'utf8'), before);
});
