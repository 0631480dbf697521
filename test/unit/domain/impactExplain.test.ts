import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainUser } from '../../../source/domain/impact.js';
import { deriveWorkspace, type StagedEdits } from '../../../source/domain/workspace.js';
import { HASH, LOGINS, secret, snapshot } from './impactFixture.js';

function explain(username: string, e: Partial<StagedEdits> = {}, snap = snapshot(), logins = LOGINS) {
  const ws = deriveWorkspace(snap, { dex: [], mapping: [], ...e }, { logins });
  const { saved, draft, ctx } = ws.impactInput;
  return explainUser(saved, draft, ctx, logins, username);
}

describe('explainUser', () => {
  it('a user with a login: Secret roles, saved and draft roles with the matched groups', () => {
    const x = explain('alice@acme.io', { mapping: [{ op: 'group.remove', entry: 0, group: 0 }] });
    assert.deepEqual(x.secret?.roles, ['admin', 'user']);
    assert.equal(x.noLogin, undefined);
    const [modern, legacy] = x.explanations;
    assert.equal(modern.semantics, 'modern');
    const [one] = modern.identities;
    assert.deepEqual(one!.saved.roles, ['admin', 'user']);
    assert.deepEqual(
      one!.saved.simulation!.matched.map((m) => m.group),
      ['acme:admins', 'acme:devs'],
    );
    assert.deepEqual(one!.draft.roles, ['user']);
    assert.equal(one!.changed, true);
    // Legacy: an existing user keeps its Secret roles under both.
    assert.equal(legacy.semantics, 'legacy');
    assert.deepEqual(legacy.identities[0]!.draft.roles, ['admin', 'user']);
    assert.equal(legacy.identities[0]!.draft.source, 'secret');
  });

  it('roles skipped because the server does not know them are named', () => {
    const mapping = `- connectorId: ldap\n  groups:\n  - id: "Ops"\n    roles: ["ghost", "user"]\n`;
    const x = explain('carol@acme.io', {}, snapshot({ mapping }));
    const o = x.explanations[0].identities[0]!.saved;
    assert.deepEqual(o.roles, ['user']);
    assert.deepEqual(
      o.simulation!.skipped.map((s) => s.role),
      ['ghost'],
    );
    assert.equal(x.secret, undefined);
    assert.equal(o.source, 'created');
  });

  it('the default role when nothing is mapped and there is no Secret', () => {
    const x = explain('carol@acme.io', {}, snapshot({ mapping: '' }));
    const o = x.explanations[0].identities[0]!.saved;
    assert.deepEqual(o.roles, ['user']);
    assert.equal(o.reason, 'no Secret yet and nothing is mapped, so it gets the default role "user"');
  });

  it('no login known: says the groups are unknown and what happens with none', () => {
    const users = [secret('root', 'admin,ghost', HASH)];
    const x = explain('root', {}, snapshot({ users }));
    assert.equal(
      x.noLogin,
      'no login of "root" is known: Epinio takes the groups from the login\'s token, so they are unknown here; with no matching group:',
    );
    assert.deepEqual(x.secret?.unknownRoles, ['ghost']);
    assert.deepEqual(x.explanations[0].noGroups?.saved.roles, ['admin']);
    assert.equal(
      x.explanations[0].noGroups?.saved.reason,
      'nothing is mapped, so it keeps the roles of its Secret',
    );
    assert.equal(x.basicAuth, 'password set: basic auth gets admin');
  });

  it('a Dex local user with no login is explained with its static groups', () => {
    const x = explain('admin@epinio.io', { dex: [{ op: 'static.remove', email: 'admin@epinio.io' }] });
    assert.match(x.noLogin!, /as a Dex local user its groups come from staticPasswords/);
    const [one] = x.explanations[0].identities;
    assert.deepEqual(one!.saved.roles, ['user']);
    assert.equal(one!.draft.canLogIn, false);
    assert.equal(x.basicAuth, 'no password in the Secret, so basic auth answers 401');
  });
});
