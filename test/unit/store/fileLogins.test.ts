import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodeOf } from '../../../source/commands/exitCodes.js';
import { createDemoStore } from '../../../source/store/demo/demo.js';
import { LoginsUnavailableError } from '../../../source/store/dexStorage.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eda-filelogins-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const dexConfig = (storage: string) => `apiVersion: v1
kind: Secret
metadata: { name: dex-config, namespace: epinio }
stringData:
  config.yaml: |
    issuer: https://auth.example.com
    storage: { type: ${storage} }
`;
const refreshToken = (name: string, ns: string, email: string) => `---
apiVersion: dex.coreos.com/v1
kind: RefreshToken
metadata: { name: ${name}, namespace: ${ns} }
CreatedAt: "2026-01-01T00:00:00Z"
LastUsed: "2026-01-02T00:00:00Z"
clientID: epinio-cli
token: FILE-CANARY-token
nonce: FILE-CANARY-nonce
connectorData: RklMRS1DQU5BUlk=
claims: { userID: ${name}, username: ${name}, email: ${email}, emailVerified: true, groups: [devs] }
connectorID: ldap
`;

async function store(text: string) {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, text);
  return createFileStore(path, { backupDir: join(dir, 'backups') });
}

describe('logins in a manifest file', () => {
  it('reads the RefreshToken objects of the namespace, without their secrets', async () => {
    const s = await store(
      dexConfig('kubernetes') + refreshToken('a', 'epinio', 'a@x.io') + refreshToken('b', 'other', 'b@x.io'),
    );
    const rows = await s.listLogins();
    assert.deepEqual(
      rows.map((r) => [r.connectorId, r.email, r.groups]),
      [['ldap', 'a@x.io', ['devs']]],
    );
    assert.ok(!JSON.stringify(rows).includes('CANARY'));
  });

  it('a file without Dex objects says it knows nothing about logins (not "no logins")', async () => {
    const s = await store(dexConfig('kubernetes'));
    await assert.rejects(s.listLogins(), (err: unknown) => {
      assert.ok(err instanceof LoginsUnavailableError);
      assert.equal(err.reason, 'not-in-file');
      assert.match(err.message, /holds no dex\.coreos\.com\/v1 RefreshToken or OfflineSessions objects/);
      assert.equal(exitCodeOf(err), 4);
      return true;
    });
  });

  it('another storage type is named, even when the file holds Dex objects', async () => {
    const s = await store(dexConfig('memory') + refreshToken('a', 'epinio', 'a@x.io'));
    await assert.rejects(s.listLogins(), (err: unknown) => {
      assert.ok(err instanceof LoginsUnavailableError);
      assert.equal(err.storageType, 'memory');
      assert.match(err.message, /says storage type "memory": Dex keeps its logins in its own memory/);
      return true;
    });
  });

  it('the demo sandbox has a handful of logins across its connectors', async () => {
    const demo = await createDemoStore({ backupDir: join(dir, 'backups') });
    try {
      const rows = await demo.listLogins();
      assert.ok(rows.length >= 5);
      assert.deepEqual([...new Set(rows.map((r) => r.connectorId))].sort(), [
        'github',
        'keycloak',
        'ldap',
        'local',
      ]);
      assert.ok(!JSON.stringify(rows).includes('demo-fake'));
    } finally {
      await rm(join(demo.location.file!, '..'), { recursive: true, force: true });
    }
  });
});
