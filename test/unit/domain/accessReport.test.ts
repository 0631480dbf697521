// The access review's drift rule (epinio-formats.md §3.4): with Dex's logins, a user whose latest
// login's groups map to other roles drifts (the next request replaces them); one whose groups map
// to its own roles does not; no login and no Dex local entry is unknown; legacy Epinio never
// replaces an existing user's roles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessReport } from '../../../source/domain/accessReport.js';
import type { Login } from '../../../source/domain/objects.js';
import { deriveWorkspace } from '../../../source/domain/workspace.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import { FIXTURE } from '../cli/harness.js';

const login = (email: string, connectorId: string, groups: string[], lastUsed: string): Login => ({
  connectorId,
  userId: email,
  username: email,
  email,
  groups,
  lastUsed,
  tokens: 1,
});

test('drift from the latest login, unknown without one, never under legacy semantics', async () => {
  const snapshot = await (await createFileStore(FIXTURE, { namespace: 'epinio' })).loadSnapshot();
  const logins = [
    login('jane.doe@example.com', 'github', ['acme:developers'], '2026-11-30T10:00:00Z'),
    login('admin', 'github', ['acme:developers'], '2026-11-01T10:00:00Z'),
    login('admin', 'ldap', ['epinio-admins'], '2026-12-01T08:00:00Z'),
    login('epinio', 'github', ['acme:developers'], '2026-12-02T09:00:00Z'),
  ];
  const rows = accessReport(deriveWorkspace(snapshot), logins);
  const by = (u: string) => rows.find((r) => r.username === u)!;
  assert.deepEqual(
    [
      by('jane.doe@example.com').drift,
      by('jane.doe@example.com').nextRoles,
      by('jane.doe@example.com').lastLogin,
    ],
    ['no', ['admin:team-blue', 'application_developer'], '2026-11-30T10:00:00Z'],
  );
  // The newest login counts: admin logged in through LDAP last, whose group maps to admin.
  assert.deepEqual([by('admin').drift, by('admin').basis], ['no', 'latest login via ldap']);
  assert.deepEqual(by('admin').sources, ['local password', 'OIDC login']);
  assert.deepEqual(
    [by('epinio').drift, by('epinio').nextRoles],
    ['yes', ['admin:team-blue', 'application_developer']],
  );
  assert.equal(by('ops@example.com').basis, 'Dex local user entry');
  assert.equal(
    accessReport(deriveWorkspace(snapshot)).find((r) => r.username === 'epinio')!.drift,
    'unknown',
  );
  const legacy = accessReport(deriveWorkspace({ ...snapshot, epinioVersion: 'v1.10.0' }), logins);
  assert.equal(legacy.find((r) => r.username === 'epinio')!.drift, 'no');
});
