import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FIXTURE, run } from './harness.js';

describe('logins list (demo and file stores)', () => {
  it('table: connector, email (username), groups, last used, the user Secret; (new) when none yet', async () => {
    const r = await run(['--demo', 'logins', 'list']);
    assert.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^CONNECTOR +EMAIL \/ USERNAME +GROUPS +LAST USED +USER SECRET$/);
    assert.equal(lines.length, 7);
    assert.match(
      r.stdout,
      /ldap +ops@example\.com \(Ops Team\) +epinio-admins,epinio-viewers +2025-03-04 07:02Z +ruser-opsexamplecom-07af648d167b54fafea301c0c796cf760a9fccaf\n/,
    );
    assert.match(r.stdout, /sam\.newhire@example\.com .* \(new\)\n/);
    assert.ok(!r.stdout.includes('demo-fake'));
  });

  it('json and --connector: only that connector, every field, no token value', async () => {
    const r = await run(['--demo', 'logins', 'list', '--connector', 'ldap', '-o', 'json']);
    assert.equal(r.code, 0);
    const rows = JSON.parse(r.stdout) as { connectorId: string; email: string; userExists: boolean }[];
    assert.deepEqual(
      rows.map((x) => [x.connectorId, x.email, x.userExists]),
      [
        ['ldap', 'alice@example.com', true],
        ['ldap', 'ops@example.com', true],
      ],
    );
    assert.ok(!r.stdout.includes('demo-fake'));
    const none = await run(['--demo', 'logins', 'list', '--connector', 'nope']);
    assert.equal(none.stdout, 'no logins of connector nope (6 logins of other connectors)\n');
  });

  it('a manifest without Dex objects: exit 4, says so, prints no table', async () => {
    const r = await run(['--file', FIXTURE, 'logins', 'list']);
    assert.equal(r.code, 4);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^error: .*epinio\.yaml holds no dex\.coreos\.com\/v1 RefreshToken or OfflineSessions objects in namespace "epinio", so it says nothing about logins\nhint: add them to the file with: kubectl get refreshtokens\.dex\.coreos\.com,offlinesessionses\.dex\.coreos\.com -n epinio -o yaml\n$/,
    );
  });
});
