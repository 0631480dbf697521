import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeLine, explainUser } from '../../../source/domain/impact.js';
import { deriveWorkspace, type StagedEdits } from '../../../source/domain/workspace.js';
import { HASH, login, LOGINS, MAPPING, secret, snapshot } from './impactFixture.js';

const edits = (e: Partial<StagedEdits>): StagedEdits => ({ dex: [], mapping: [], ...e });
const impactOf = (e: Partial<StagedEdits>, snap = snapshot(), logins = LOGINS) =>
  deriveWorkspace(snap, edits(e), { logins }).impact;
const emails = (i: ReturnType<typeof impactOf>) => i.blast.changes.map((c) => c.identity.email);

describe('blast radius: the five scenarios (modern)', () => {
  it('a group added: carol gains admin, listed with her old and new roles', () => {
    const i = impactOf({
      mapping: [{ op: 'group.add', entry: 1, group: { id: 'Staff', roles: ['admin'] } }],
    });
    assert.deepEqual(emails(i), ['carol@acme.io']);
    const [c] = i.blast.changes;
    assert.equal(c!.gainsAdmin, true);
    assert.deepEqual(c!.before.roles, ['user']);
    assert.deepEqual(c!.after.roles, ['admin', 'user']);
    assert.equal(changeLine(c!), 'carol@acme.io (ldap): user -> admin,user (gains admin)');
    assert.equal(i.blast.summary, '1 of 4 known identities changes roles at the next request');
    assert.equal(i.lockout.blocked, false);
  });

  it('a group removed: alice loses user; bob, matching nothing now, keeps his Secret roles (no change)', () => {
    const i = impactOf({ mapping: [{ op: 'group.remove', entry: 0, group: 1 }] });
    assert.deepEqual(emails(i), ['alice@acme.io']);
    assert.deepEqual(i.blast.changes[0]!.after.roles, ['admin']);
    assert.equal(i.blast.changes[0]!.losesAdmin, false);
  });

  it('an entry moved with no effect changes nobody', () => {
    const i = impactOf({ mapping: [{ op: 'entry.move', from: 0, to: 1 }] });
    assert.equal(i.blast.summary, "no user's roles change");
    assert.deepEqual(i.blast.changes, []);
    assert.equal(i.lockout.blocked, false);
  });

  it('an entry moved in front of another for the same connector does change roles', () => {
    const mapping = `${MAPPING}- connectorId: github\n  groups:\n  - id: "acme:devs"\n    roles: ["admin"]\n`;
    const i = impactOf({ mapping: [{ op: 'entry.move', from: 2, to: 0 }] }, snapshot({ mapping }));
    assert.deepEqual(emails(i), ['bob@acme.io', 'alice@acme.io']);
    assert.equal(i.blast.changes[0]!.gainsAdmin, true);
    assert.equal(i.blast.changes[1]!.gainsAdmin, false);
  });

  it('a connector renamed: its identities cannot log in as recorded, admin losses first; lockout', () => {
    const i = impactOf({
      dex: [{ op: 'connector.rename', from: 'github', to: 'gh' }],
      mapping: [{ op: 'connector.rename', from: 'github', to: 'gh' }],
    });
    assert.deepEqual(emails(i), ['alice@acme.io', 'bob@acme.io']);
    assert.equal(i.blast.changes[0]!.losesAdmin, true);
    assert.equal(
      changeLine(i.blast.changes[0]!),
      'alice@acme.io (github): admin,user -> cannot log in (loses admin): connector "github" is not in config.yaml, so its identities cannot log in',
    );
    assert.equal(i.lockout.blocked, true);
    assert.match(i.lockout.advice[0]!, /^keep connector "github"/);
  });

  it('the only admin group removed: refused with what is lost and how to keep a way in', () => {
    const i = impactOf({ mapping: [{ op: 'group.remove', entry: 0, group: 0 }] });
    assert.equal(i.blast.changes[0]!.losesAdmin, true);
    assert.equal(i.lockout.blocked, true);
    assert.equal(
      i.lockout.message,
      [
        'this save would lock every administrator out; it takes away:',
        '  - "alice@acme.io" logging in with connector "github" (admin through rolesMapping group "acme:admins"): it gets user: the mapped roles replace the roles of its Secret',
        'to keep a way in:',
        '  - keep a rolesMapping group for connector "github" that grants admin to one of "alice@acme.io"\'s groups ("acme:admins", "acme:devs")',
        '  - or first give an administrator a password: `users create NAME --role admin` (or `users set-password NAME` for a user with role admin)',
      ].join('\n'),
    );
  });
});

describe('lockout guard: ways in', () => {
  const removeAdminGroup = { mapping: [{ op: 'group.remove' as const, entry: 0, group: 0 }] };

  it('a user Secret with admin and a password is a way in: not blocked', () => {
    const users = [...snapshot().users, secret('root', 'admin', HASH)];
    const i = impactOf(removeAdminGroup, snapshot({ users }));
    assert.equal(i.lockout.blocked, false);
    assert.deepEqual(
      i.lockout.draft.map((w) => w.description),
      ['user "root" (password, role admin)'],
    );
    assert.equal(i.lockout.lost.length, 1);
  });

  it('admin:<namespace> with a password is not a way in', () => {
    const users = [...snapshot().users, secret('ns-admin', 'admin:ws', HASH)];
    assert.equal(impactOf(removeAdminGroup, snapshot({ users })).lockout.blocked, true);
  });

  it('a Dex local user whose Secret has admin is a way in; removing it (dex-users remove) is refused', () => {
    const users = [secret('alice@acme.io', 'admin,user'), secret('admin@epinio.io', 'admin')];
    const snap = snapshot({ users });
    const i = impactOf({ dex: [{ op: 'static.remove', email: 'admin@epinio.io' }] }, snap, []);
    assert.equal(i.lockout.blocked, true);
    assert.deepEqual(
      i.lockout.lost.map((l) => [l.way.description, l.why, l.keep]),
      [
        [
          'Dex local user "admin@epinio.io" (admin through its user Secret)',
          'Dex local user "admin@epinio.io" is not in staticPasswords',
          'keep Dex local user "admin@epinio.io"',
        ],
      ],
    );
    const off = impactOf({ dex: [{ op: 'passwordDB.set', enabled: false }] }, snap, []);
    assert.equal(off.lockout.lost[0]!.keep, 'keep enablePasswordDB: true');
  });

  it('an admin group seen in a login of a connector that still exists is a way in', () => {
    const i = impactOf({ dex: [{ op: 'connector.remove', id: 'ldap' }] });
    assert.equal(i.lockout.blocked, false);
    assert.deepEqual(
      i.lockout.draft.map((w) => w.key),
      ['github/github-alice@acme.io'],
    );
    assert.deepEqual(emails(i), ['carol@acme.io']);
  });

  it('a saved state with no way in is not blocked, but warns', () => {
    const i = impactOf(removeAdminGroup, snapshot(), []);
    assert.equal(i.lockout.blocked, false);
    assert.match(i.lockout.warning!, /^no administrator can get in even now/);
  });

  it('a draft mapping that cannot be parsed blocks every OIDC way in', () => {
    const ws = deriveWorkspace(snapshot(), edits({}), { logins: LOGINS });
    assert.equal(ws.impact.lockout.blocked, false);
    const broken = snapshot({ mapping: 'acme: [admin]\n' });
    const saved = deriveWorkspace(broken, edits({}), { logins: LOGINS }).impact.lockout;
    assert.deepEqual(saved.saved, []);
  });

  it('duplicate user Secrets are no way in (Epinio rejects the user)', () => {
    const users = [secret('root', 'admin', HASH), { ...secret('root', 'admin', HASH), name: 'other' }];
    const i = impactOf({}, snapshot({ users }), []);
    assert.deepEqual(i.lockout.saved, []);
  });
});

describe('legacy semantics (Epinio <= 1.10)', () => {
  const LEGACY = `- connectorId: github\n  groups:\n  - id: "acme:admins"\n    role: admin\n  - id: "acme:devs"\n    role: user\n`;

  it('an existing user keeps its roles whatever the mapping; a new one gets the first match', () => {
    const snap = snapshot({ mapping: LEGACY, epinioVersion: 'v1.10.0' });
    const dave = login('github', 'dave@acme.io', ['acme:devs', 'acme:admins']);
    const i = impactOf({ mapping: [{ op: 'group.move', entry: 0, from: 1, to: 0 }] }, snap, [
      ...LOGINS,
      dave,
    ]);
    // alice has a Secret: unchanged; dave has none: first match wins, now "acme:devs".
    assert.deepEqual(emails(i), ['dave@acme.io']);
    assert.equal(i.blast.changes[0]!.losesAdmin, true);
    assert.deepEqual(i.blast.changes[0]!.after.roles, ['user']);
  });

  it('no match: a new user gets "user"', () => {
    const snap = snapshot({ mapping: LEGACY, epinioVersion: 'v1.10.0' });
    const erin = login('github', 'erin@acme.io', ['other']);
    const ws = deriveWorkspace(snap, edits({}), { logins: [erin] });
    assert.equal(ws.semantics, 'legacy');
    const { saved, draft, ctx } = ws.impactInput;
    const x = explainUser(saved, draft, ctx, [erin], 'erin@acme.io');
    assert.deepEqual(x.explanations[0].identities[0]!.saved.roles, ['user']);
    assert.equal(x.explanations[0].identities[0]!.saved.source, 'created');
    // Modern semantics on the same legacy mapping: role: is ignored, so the default role.
    assert.equal(x.explanations[1].semantics, 'modern');
    assert.equal(x.explanations[1].identities[0]!.saved.source, 'default');
  });
});

describe('workspace compatibility', () => {
  it('without logins only Dex local users are known, and nothing staged changes nobody', () => {
    const ws = deriveWorkspace(snapshot());
    assert.equal(ws.impact.loginsKnown, false);
    assert.equal(ws.impact.blast.known, 1);
    assert.equal(ws.impact.blast.summary, "no user's roles change");
  });
});
