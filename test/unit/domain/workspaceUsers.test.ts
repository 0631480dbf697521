// deriveUsers (what `users list` shows) must give exactly the users deriveWorkspace gives, whatever
// state config.yaml and rolesMapping are in, since the command no longer derives the workspace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveWorkspace } from '../../../source/domain/workspace.js';
import { deriveUsers } from '../../../source/domain/workspaceUsers.js';
import { createDemoStore } from '../../../source/store/demo/demo.js';
import { secret, snapshot } from './impactFixture.js';

describe('deriveUsers', () => {
  const cases = {
    'a valid install': snapshot(),
    'a role no ConfigMap defines': snapshot({
      users: [secret('eve@acme.io', 'ghost'), secret('bob@acme.io', 'user')],
    }),
    'a user defined twice': snapshot({
      users: [secret('bob@acme.io', 'user'), secret('bob@acme.io', 'user')],
    }),
    'a config.yaml that does not parse': snapshot({ config: 'issuer: [\n' }),
    'a rolesMapping that does not parse': snapshot({ mapping: '- connectorId: [\n' }),
  };
  for (const [name, s] of Object.entries(cases))
    it(`gives the workspace's users for ${name}`, () => {
      assert.deepEqual(deriveUsers(s), deriveWorkspace(s).users);
    });

  it('keeps the problems the workspace finds (an unknown role)', () => {
    const codes = (username: string) =>
      deriveUsers(cases['a role no ConfigMap defines'])
        .find((u) => u.username === username)
        ?.problems.map((p) => p.code);
    assert.deepEqual(codes('eve@acme.io'), ['user.unknown-role', 'user.no-password']);
    assert.deepEqual(codes('bob@acme.io'), ['user.no-password']);
  });

  it("gives the workspace's users for the demo install", async () => {
    const store = await createDemoStore();
    const s = await store.loadSnapshot();
    assert.ok(s.users.length > 1);
    assert.deepEqual(deriveUsers(s), deriveWorkspace(s).users);
  });
});
