import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigMapObject } from '../../../source/store/types.js';
import {
  defaultRoleId,
  roleIdsForValidation,
  rolesFromConfigMaps,
  splitScopedRole,
} from '../../../source/domain/roles.js';

function cm(name: string, data: Record<string, string>, creationTimestamp?: string): ConfigMapObject {
  return {
    name,
    namespace: 'epinio',
    resourceVersion: '1',
    labels: { 'epinio.io/role': 'true' },
    annotations: {},
    data,
    ...(creationTimestamp ? { creationTimestamp } : {}),
  };
}

describe('rolesFromConfigMaps (epinio-formats.md §6)', () => {
  it('puts the built-in admin first and reads the chart roles', () => {
    const roles = rolesFromConfigMaps([
      cm('epinio-user-role', {
        id: 'user',
        name: 'User',
        default: 'true',
        actions: 'namespace_write\napp_read\nconfiguration_read\n',
      }),
      cm('epinio-blank-role', { id: 'blank', name: 'Blank' }),
    ]);
    assert.deepEqual(
      roles.map((r) => [r.id, r.source, r.default]),
      [
        ['admin', 'builtin', false],
        ['user', 'configmap', true],
        ['blank', 'configmap', false],
      ],
    );
    assert.deepEqual(roles[1]!.actions, ['namespace_write', 'app_read', 'configuration_read']);
    assert.equal(roles[1]!.configMapName, 'epinio-user-role');
    assert.deepEqual(roles[1]!.problems, []);
    assert.deepEqual(roles[2]!.actions, []);
    assert.equal(defaultRoleId(roles), 'user');
  });

  it('accepts exactly the strconv.ParseBool values for default', () => {
    for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True'])
      assert.equal(rolesFromConfigMaps([cm('r', { id: 'r', default: v })])[1]!.default, true, v);
    for (const v of ['0', 'f', 'F', 'FALSE', 'false', 'False', '']) {
      const [, r] = rolesFromConfigMaps([cm('r', { id: 'r', default: v })]);
      assert.equal(r!.default, false, v);
      assert.deepEqual(r!.problems, [], v);
    }
    for (const v of ['yes', 'on', ' true', 'tRUE', 'y']) {
      const [, r] = rolesFromConfigMaps([cm('r', { id: 'r', default: v })]);
      assert.equal(r!.default, false);
      assert.deepEqual(r!.problems, [
        {
          severity: 'error',
          code: 'role.bad-default',
          path: 'roles.r.data.default',
          message: `ConfigMap r has default ${JSON.stringify(v)}, which is not a boolean (true/false, 1/0, t/f): this stops epinio-server from starting ("initializing authentication"); write "true" or "false".`,
        },
      ]);
    }
  });

  it('allows only one default: later ones are flagged', () => {
    const roles = rolesFromConfigMaps([
      cm('a', { id: 'user', default: 'true' }),
      cm('b', { id: 'dev', default: 'T' }),
    ]);
    assert.deepEqual(
      roles[2]!.problems.map((p) => p.message),
      [
        'role "dev" is marked default, but "user" already is: only the first default counts; set default to "false" here.',
      ],
    );
    assert.equal(defaultRoleId(roles), 'user');
  });

  it('rejects admin and duplicate ids, and delimiters in ids', () => {
    const roles = rolesFromConfigMaps([
      cm('mine-admin', { id: 'admin' }),
      cm('a', { id: 'dev' }),
      cm('b', { id: 'dev' }),
      cm('c', { id: 'a:b' }),
      cm('d', {}),
    ]);
    assert.deepEqual(
      roles.slice(1).map((r) => r.problems.map((p) => p.code)),
      [['role.shadows-admin'], [], ['role.duplicate-id'], ['role.bad-id'], ['role.no-id']],
    );
    assert.equal(
      roles[3]!.problems[0]!.message,
      'role "dev" is already defined by ConfigMap a: the first definition wins and this ConfigMap is ignored; choose another id.',
    );
    assert.deepEqual(roleIdsForValidation(roles), ['admin', 'dev', 'a:b']);
  });

  it('marks roles created after the server started as not loaded', () => {
    const roles = rolesFromConfigMaps(
      [cm('old', { id: 'old' }, '2024-01-01T00:00:00Z'), cm('new', { id: 'new' }, '2024-03-01T00:00:00Z')],
      '2024-02-01T00:00:00Z',
    );
    assert.deepEqual(
      roles.map((r) => r.loaded),
      [true, true, false],
    );
    assert.equal(roles[2]!.problems[0]!.code, 'role.not-loaded');
    assert.deepEqual(roleIdsForValidation(roles), ['admin', 'old']);
    assert.equal(rolesFromConfigMaps([cm('new', { id: 'new' }, '2024-03-01T00:00:00Z')])[1]!.loaded, true);
  });

  it('splits actions by line without trimming each line and flags unknown actions', () => {
    const [, r] = rolesFromConfigMaps([
      cm('r', { id: 'r', actions: '\napp_read \napp_logs\nnamespace_read\napp_fly\n' }),
    ]);
    assert.deepEqual(r!.actions, ['app_read ', 'app_logs', 'namespace_read', 'app_fly']);
    assert.deepEqual(
      r!.problems.map((p) => `${p.code}@${p.path}`),
      [
        'role.action-spaces@roles.r.data.actions[0]',
        'role.unknown-action@roles.r.data.actions[2]',
        'role.unknown-action@roles.r.data.actions[3]',
      ],
    );
    assert.equal(
      r!.problems[0]!.message,
      'action "app_read " has leading or trailing spaces: Epinio does not trim each line, so it is unknown and skipped; remove the spaces.',
    );
  });

  it('splitScopedRole', () => {
    assert.deepEqual(splitScopedRole('admin'), { id: 'admin' });
    assert.deepEqual(splitScopedRole('admin:team-blue'), { id: 'admin', namespace: 'team-blue' });
  });
});
