// Real logins in Dex's Kubernetes storage, read back by `logins list`. The tool saves config.yaml
// (an LDAP connector against the real slapd, a second Dex local user) into dex-config on the real
// kube-apiserver; the real Dex runs on that saved config with `storage: kubernetes` against the
// same API server and creates its own custom resources; people log in for real with
// offline_access (the password grant for Dex local users, the browser flow for LDAP users, since
// Dex takes one oauth2.passwordConnector), and Dex stores a refresh token with their claims.
//
// The stack has no Dex pod (no kubelet): the harness plays the pod openly (test/stack/dex.ts
// kubernetesStorage: the saved `inCluster: true` becomes a kubeconfig file naming the namespace).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyDexEdits, type DexEdit } from '../../source/domain/dexConfig.js';
import { hashPassword } from '../../source/password/hash.js';
import { openStore } from '../../source/store/connect.js';
import type { Store } from '../../source/store/types.js';
import { dexAddress, ensureDex, startDex, TEST_CLIENT, type DexAddress, type DexRun } from '../stack/dex.js';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';
import { startSlapd, type RunningSlapd } from '../stack/slapd.js';
import { run as runCli, type Result } from '../unit/cli/harness.js';
import { DIRECTORY } from './lib/dexDifferential.js';

const OFFLINE = 'openid email profile groups offline_access';
const ADMIN_HASH = '$2a$10$v5fRDTF7tfVPeCO95IHSQOgkkSQqsRda1PoMNmQYeaoNH4PszHJqG'; // Go bcrypt of "password"
const LOCAL_USERS = [
  { email: 'admin@example.com', username: 'admin', password: 'password', groups: ['platform-admins'] },
  { email: 'dev@example.com', username: 'dev', password: 'dev-password-1', groups: ['devs', 'qa'] },
];
/** LDAP memberships from DIRECTORY (different per person). */
const LDAP_GROUPS: Record<string, string[]> = {
  jane: ['admins', 'developers'],
  john: ['developers'],
  nora: ['auditors'],
};

function initialConfig(issuer: string): string {
  return `issuer: "${issuer}"
storage:
  type: kubernetes
  config:
    inCluster: true
enablePasswordDB: true
oauth2:
  skipApprovalScreen: true
  passwordConnector: local
staticClients:
- id: ${TEST_CLIENT.id}
  secret: ${TEST_CLIENT.secret}
  name: EDA test client
  redirectURIs: ["${TEST_CLIENT.redirectURI}"]
staticPasswords:
- email: "${LOCAL_USERS[0]!.email}"
  hash: "${ADMIN_HASH}"
  username: "${LOCAL_USERS[0]!.username}"
  userID: "08a8684b-db88-4b73-90a9-3cd1661f5466"
  groups: ["platform-admins"]
`;
}

let ldap: RunningSlapd;
let ns: string;
let store: Store;
let address: DexAddress;
let dex: DexRun;
/** What each login's id_token said, by connector and email. */
const claimsSeen = new Map<string, { connector: string; email: string; name: string; groups: string[] }>();

const kube = (identity: 'admin' | 'viewer' | 'none', namespace = ns) => [
  '--kubeconfig',
  getStack().kubeconfigs[identity],
  '-n',
  namespace,
  '--request-timeout',
  '20s',
];
const logins = (
  args: string[],
  identity: 'admin' | 'viewer' | 'none' = 'admin',
  namespace = ns,
): Promise<Result> => runCli(['logins', 'list', ...args, ...kube(identity, namespace)]);

async function saveEdits(edits: DexEdit[]): Promise<void> {
  const snapshot = await store.loadSnapshot();
  const next = applyDexEdits(snapshot.dexConfig.data['config.yaml']!, edits);
  await store.saveDexConfig({ base: snapshot.dexConfig, changes: { 'config.yaml': next } });
}

async function savedConfig(): Promise<string> {
  const res = await adminClient().get<{ data: Record<string, string> }>(
    `/api/v1/namespaces/${ns}/secrets/dex-config`,
  );
  assert.equal(res.status, 200);
  return Buffer.from(res.body.data['config.yaml']!, 'base64').toString('utf8');
}

before(async () => {
  await ensureDex();
  ldap = await startSlapd(DIRECTORY);
  address = await dexAddress();
  ns = await createTestNamespace('logins', { fixtures: true });
  const res = await adminClient().patch(`/api/v1/namespaces/${ns}/secrets/dex-config`, {
    stringData: { 'config.yaml': initialConfig(address.issuer) },
  });
  assert.equal(res.status, 200);
  store = await openStore({
    kubeconfig: getStack().kubeconfigs.admin,
    namespace: ns,
    requestTimeoutMs: 20_000,
  });
  // The tool's writes: a second Dex local user and the LDAP connector.
  const dev = LOCAL_USERS[1]!;
  await saveEdits([
    {
      op: 'static.add',
      entry: {
        email: dev.email,
        username: dev.username,
        userID: '5b7f8a2e-6a51-4f0e-9d0e-2f6a3b1c9d47',
        hash: await hashPassword(dev.password, 10),
        groups: dev.groups,
      },
    },
    {
      op: 'connector.add',
      connector: {
        type: 'ldap',
        id: 'corp-ldap',
        name: 'Corporate LDAP',
        config: {
          host: ldap.host,
          insecureNoSSL: true,
          bindDN: ldap.bindDN,
          bindPW: ldap.bindPW,
          userSearch: {
            baseDN: ldap.peopleDN,
            filter: '(objectClass=inetOrgPerson)',
            username: 'uid',
            idAttr: 'uid',
            emailAttr: 'mail',
            nameAttr: 'cn',
          },
          groupSearch: {
            baseDN: ldap.groupsDN,
            filter: '(objectClass=groupOfNames)',
            userMatchers: [{ userAttr: 'DN', groupAttr: 'member' }],
            nameAttr: 'cn',
          },
        },
      },
    },
  ]);
  // Right after Dex creates its custom resources the API server may answer 429 "storage is
  // (re)initializing" for them, and Dex exits; its Deployment would restart the pod, and so does the
  // harness (a few times, only for that answer).
  for (let attempt = 1; ; attempt++) {
    dex = await startDex(await savedConfig(), address, {
      kubernetesStorage: { kubeconfig: getStack().kubeconfigs.admin, namespace: ns },
    });
    if (dex.outcome === 'ready' || attempt === 5 || !dex.log.includes('storage is (re)initializing')) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.equal(
    dex.outcome,
    'ready',
    `Dex did not start on the saved config with kubernetes storage:\n${dex.log}`,
  );
  assert.deepEqual(dex.failedConnectors, []);
});
after(async () => {
  await dex?.stop();
  await ldap?.stop();
});

describe('logins recorded by the real Dex in its Kubernetes storage', { concurrency: 1 }, () => {
  it('Dex created its custom resources in the test API server', async () => {
    for (const crd of ['refreshtokens.dex.coreos.com', 'offlinesessionses.dex.coreos.com']) {
      const res = await adminClient().get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`);
      assert.equal(res.status, 200, `${crd} was not created by Dex`);
    }
  });

  it('before anyone logs in: "no logins recorded yet", exit 0, json []', async () => {
    const t = await logins([]);
    assert.equal(t.code, 0, t.stderr);
    assert.equal(t.stdout, 'no logins recorded yet\n');
    const j = await logins(['-o', 'json']);
    assert.equal(j.stdout, '[]\n');
  });

  it('local users (password grant) and LDAP users (browser flow) log in with offline_access', async () => {
    for (const u of LOCAL_USERS) {
      const r = await dex.passwordGrant(u.email, u.password, OFFLINE);
      assert.ok(r.ok, `${u.email}: ${r.error}; Dex logs: ${(await dex.errorsLogged()).join(' | ')}`);
      assert.equal(r.refreshToken, true);
      assert.deepEqual(r.claims?.groups, u.groups);
      claimsSeen.set(`local ${u.email}`, {
        connector: 'local',
        email: String(r.claims?.email),
        name: String(r.claims?.name),
        groups: r.claims?.groups as string[],
      });
    }
    for (const person of DIRECTORY.people) {
      const r = await dex.browserLogin('corp-ldap', person.uid, person.password, OFFLINE);
      assert.ok(r.ok, `${person.uid}: ${r.error}; Dex logs: ${(await dex.errorsLogged()).join(' | ')}`);
      assert.equal(r.refreshToken, true);
      assert.deepEqual([...(r.claims?.groups as string[])].sort(), LDAP_GROUPS[person.uid]);
      claimsSeen.set(`corp-ldap ${person.mail}`, {
        connector: 'corp-ldap',
        email: String(r.claims?.email),
        name: String(r.claims?.name),
        groups: r.claims?.groups as string[],
      });
    }
  });

  it('logins list shows exactly those identities with the groups Dex stored, and never a token', async () => {
    const r = await logins(['-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as {
      connectorId: string;
      email: string;
      username: string;
      groups: string[];
      lastUsed: string | null;
      clientId: string;
      userSecret: string | null;
      userExists: boolean;
    }[];
    const expected = [...claimsSeen.values()]
      .map((c) => ({ connectorId: c.connector, email: c.email, username: c.name, groups: c.groups }))
      .sort((a, b) => `${a.connectorId} ${a.email}`.localeCompare(`${b.connectorId} ${b.email}`));
    assert.deepEqual(
      rows.map((x) => ({
        connectorId: x.connectorId,
        email: x.email,
        username: x.username,
        groups: x.groups,
      })),
      expected,
    );
    for (const x of rows) {
      assert.equal(x.clientId, TEST_CLIENT.id);
      assert.ok(x.lastUsed && Date.now() - Date.parse(x.lastUsed) < 10 * 60_000, `lastUsed ${x.lastUsed}`);
      assert.ok(x.userSecret?.startsWith('r'));
    }
    // The groups are what Dex stored: read Dex's objects with the test's own client.
    const raw = await adminClient().get<{
      items: { token: string; claims: { email: string; groups?: string[] }; connectorID: string }[];
    }>(`/apis/dex.coreos.com/v1/namespaces/${ns}/refreshtokens`);
    assert.equal(raw.status, 200);
    assert.equal(raw.body.items.length, rows.length);
    for (const item of raw.body.items) {
      const row = rows.find((x) => x.email === item.claims.email && x.connectorId === item.connectorID);
      assert.deepEqual(row?.groups, item.claims.groups ?? []);
    }
    // Dex's real token values appear in no output format.
    const table = await logins([]);
    const yaml = await logins(['-o', 'yaml']);
    for (const item of raw.body.items) {
      assert.ok(item.token.length > 10);
      for (const out of [r, table, yaml]) {
        assert.ok(!out.stdout.includes(item.token) && !out.stderr.includes(item.token));
      }
    }
    assert.match(table.stdout, /^CONNECTOR +EMAIL \/ USERNAME +GROUPS +LAST USED +USER SECRET\n/);
    assert.match(
      table.stdout,
      /\ncorp-ldap +jane@example\.org \(Jane Doe\) +(admins,developers|developers,admins) +/,
    );
  });

  it('--connector local: only the Dex local users', async () => {
    const r = await logins(['--connector', 'local', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { email: string }[]).map((x) => x.email),
      LOCAL_USERS.map((u) => u.email),
    );
  });
});

describe('logins list refused or impossible', () => {
  it('viewer (no rights on dex.coreos.com): 403 with verb, resource and the Role rule, exit 3, no table', async () => {
    for (const output of ['table', 'json']) {
      const r = await logins(['-o', output], 'viewer');
      assert.equal(r.code, 3);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        new RegExp(
          `^error: forbidden: cannot list refreshtokens\\.dex\\.coreos\\.com in namespace "${ns}": .*\\nhint: check your rights with: kubectl auth can-i list refreshtokens\\.dex\\.coreos\\.com -n ${ns}; a Role rule that allows it: \\{apiGroups: \\[dex\\.coreos\\.com\\], resources: \\[refreshtokens, offlinesessionses\\], verbs: \\[get, list\\]\\}\\n$`,
        ),
      );
    }
  });

  it('nobody: the same 403 about the logins (not about dex-config), exit 3', async () => {
    const r = await logins([], 'none');
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: forbidden: cannot list refreshtokens\.dex\.coreos\.com in namespace /);
  });

  it('config.yaml with storage: memory says Dex keeps its logins in memory, exit 4', async () => {
    const other = await createTestNamespace('logins-memory', { fixtures: true });
    const res = await adminClient().patch(`/api/v1/namespaces/${other}/secrets/dex-config`, {
      stringData: {
        'config.yaml': initialConfig(address.issuer).replace(
          /storage:\n[^\n]*\n[^\n]*\n[^\n]*\n/,
          'storage:\n  type: memory\n',
        ),
      },
    });
    assert.equal(res.status, 200);
    const r = await logins([], 'admin', other);
    assert.equal(r.code, 4);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `error: Dex's config.yaml (dex-config in namespace "${other}") says storage type "memory": Dex keeps its logins in its own memory (lost at every restart, and readable by nobody else), so they cannot be read here\nhint: logins are readable only with Dex storage type "kubernetes" (storage: {type: kubernetes, config: {inCluster: true}}, Epinio's default)\n`,
    );
  });

  it('a namespace where Dex never ran: the custom resources exist cluster-wide but hold nothing there', async () => {
    const other = await createTestNamespace('logins-empty', { fixtures: true });
    const r = await logins([], 'admin', other);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'no logins recorded yet\n');
  });
});
