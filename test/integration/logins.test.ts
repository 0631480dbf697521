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
import { applyMappingEdits, type MappingEdit } from '../../source/domain/rolesMapping.js';
import { deriveWorkspace } from '../../source/domain/workspace.js';
import { runChecker, type CheckerEvaluation } from '../checker/checker.js';
import { hashPassword } from '../../source/password/hash.js';
import { openStore } from '../../source/store/connect.js';
import type { Store } from '../../source/store/types.js';
import { dexAddress, ensureDex, startDex, TEST_CLIENT, type DexAddress, type DexRun } from '../stack/dex.js';
import { adminClient, createTestNamespace, fixtureUsers, getStack } from '../stack/env.js';
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
  // (re)initializing" for them, or 404 while a new resource is not served yet ("failed to list
  // connectors: not found", seen once in a full run), and Dex exits; its Deployment would restart
  // the pod, and so does the harness (a few times, only for those answers).
  const transient = (log: string) =>
    log.includes('storage is (re)initializing') || /failed to list \w+: not found/.test(log);
  for (let attempt = 1; ; attempt++) {
    dex = await startDex(await savedConfig(), address, {
      kubernetesStorage: { kubeconfig: getStack().kubeconfigs.admin, namespace: ns },
    });
    if (dex.outcome === 'ready' || attempt === 5 || !transient(dex.log)) break;
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

describe(
  'logins recorded by the real Dex in its Kubernetes storage (the harness runs dex serve in place of its pod)',
  { concurrency: 1 },
  () => {
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
  },
);

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

// "Done when" of issue 12: with these real logins, `users explain` and the blast radius of drafts
// give the roles Epinio's rules give those identities, checked against the Go reference checker's
// evaluation of the same mapping text, connector, groups (as Dex stored them), known roles, default
// role and user Secret. Each draft is a command's --dry-run -o json; the draft mapping the checker
// evaluates is the same edit applied by the domain.
const MAPPING = `- connectorId: "corp-ldap"
  groups:
  - id: "admins"
    roles: ["admin"]
  - id: "developers"
    roles: ["user"]
- connectorId: "local"
  groups:
  - id: "devs"
    roles: ["user"]
- connectorId: "keycloak"
  groups: []
`;

interface Row {
  connectorId: string;
  email: string;
  groups: string[];
}
interface ImpactJson {
  impact: {
    summary: string;
    changes: { email: string; connectorId: string; before: string; after: string; losesAdmin: boolean }[];
    lockout: { blocked: boolean };
  };
}

describe(
  'users explain and the blast radius agree with the Go checker on real logins',
  { concurrency: 1 },
  () => {
    let rows: Row[];
    let ctx: { knownRoles: string[]; defaultRole: string; semantics: 'modern' | 'legacy' };
    let userRoles: Map<string, string>;

    before(async () => {
      // The chart's `admin` user Secret (admin with a password) would be a way in of its own: without
      // it, the LDAP group "admins" is the only one, for the lockout case.
      const chartAdmin = fixtureUsers.find((u) => u.username === 'admin')!;
      const del = await adminClient().delete(`/api/v1/namespaces/${ns}/secrets/${chartAdmin.secretName}`);
      assert.equal(del.status, 200);
      const snapshot = await store.loadSnapshot();
      await store.saveDexConfig({ base: snapshot.dexConfig, changes: { rolesMapping: MAPPING } });
      const ws = deriveWorkspace(await store.loadSnapshot());
      ctx = { knownRoles: ws.knownRoles, defaultRole: ws.defaultRole ?? '', semantics: ws.semantics };
      userRoles = new Map(ws.users.map((u) => [u.username, u.rolesRaw]));
      const r = await logins(['-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      rows = JSON.parse(r.stdout) as Row[];
      assert.equal(rows.length, LOCAL_USERS.length + DIRECTORY.people.length);
    });

    /** The checker's roles for every login under `mapping` (each through `connectorOf` its connector). */
    async function checkerRoles(
      mapping: string,
      connectorOf = (c: string) => c,
    ): Promise<Map<string, string[]>> {
      const cases: CheckerEvaluation[] = rows.map((r) => ({
        rolesMapping: mapping,
        connectorId: connectorOf(r.connectorId),
        groups: r.groups,
        knownRoles: ctx.knownRoles,
        defaultRole: ctx.defaultRole,
        semantics: ctx.semantics,
        userRoles: userRoles.get(r.email) ?? null,
      }));
      const out = (await runChecker({ evaluate: cases })).evaluate ?? [];
      assert.equal(out.length, rows.length);
      return new Map(rows.map((r, i) => [`${r.connectorId} ${r.email}`, out[i]!.roles]));
    }
    const sorted = (s: string) => s.split(',').sort().join(',');

    /** The dry run's impact against the checker: exactly the identities whose roles differ, with them. */
    async function draft(argv: string[], edits: MappingEdit[], options: { renamed?: [string, string] } = {}) {
      const r = await runCli([...argv, '--dry-run', '-o', 'json', ...kube('admin')]);
      assert.equal(r.code, 0, r.stderr);
      const impact = (JSON.parse(r.stdout) as ImpactJson).impact;
      const before = await checkerRoles(MAPPING);
      const after = await checkerRoles(applyMappingEdits(MAPPING, edits), (c) =>
        options.renamed && c === options.renamed[0] ? options.renamed[1] : c,
      );
      const expected = rows
        .map((x) => `${x.connectorId} ${x.email}`)
        .filter((k) =>
          options.renamed && k.startsWith(`${options.renamed[0]} `)
            ? true // its Dex identity (connector + user id) is gone: "cannot log in" until it logs in anew
            : before.get(k)!.join(',') !== after.get(k)!.join(','),
        )
        .sort();
      assert.deepEqual(
        impact.changes.map((c) => `${c.connectorId} ${c.email}`).sort(),
        expected,
        impact.summary,
      );
      for (const c of impact.changes) {
        const k = `${c.connectorId} ${c.email}`;
        assert.equal(sorted(c.before), before.get(k)!.join(','), `${k} before`);
        if (options.renamed && c.connectorId === options.renamed[0]) {
          assert.equal(c.after, 'cannot log in');
          // Through the new id its next login gets what it had: the rename kept the mapping's meaning.
          assert.deepEqual(after.get(k), before.get(k), `${k} through ${options.renamed[1]}`);
        } else assert.equal(sorted(c.after), after.get(k)!.join(','), `${k} after`);
      }
      return { impact, before, after };
    }

    it("users explain: the roles of the next request are the checker's, for every login", async () => {
      const expected = await checkerRoles(MAPPING);
      for (const x of rows) {
        const r = await runCli(['users', 'explain', x.email, '-o', 'json', ...kube('admin')]);
        assert.equal(r.code, 0, `${x.email}: ${r.stderr}`);
        const out = JSON.parse(r.stdout) as {
          semantics: {
            semantics: string;
            identities: { connectorId: string; groups: string[]; nextRequest: { roles: string[] } }[];
          }[];
        };
        const mine = out.semantics.find((s) => s.semantics === ctx.semantics)!;
        const identity = mine.identities.find((i) => i.connectorId === x.connectorId)!;
        assert.deepEqual(identity.groups, x.groups);
        assert.deepEqual(
          [...identity.nextRequest.roles].sort(),
          expected.get(`${x.connectorId} ${x.email}`),
          x.email,
        );
      }
      // The cases are not trivial: jane gets admin from her LDAP group.
      assert.ok(expected.get('corp-ldap jane@example.org')!.includes('admin'));
    });

    it('a group added: exactly the identities in it change', async () => {
      const { impact } = await draft(
        ['mappings', 'add-group', 'corp-ldap', 'auditors', '--roles', 'view_only'],
        [{ op: 'group.add', entry: 0, group: { id: 'auditors', roles: ['view_only'] } }],
      );
      assert.deepEqual(
        impact.changes.map((c) => c.email),
        ['nora@example.org'],
      );
    });

    it('a group removed: jane keeps only admin; john, a new user, gets the default role user either way', async () => {
      const { impact } = await draft(
        ['mappings', 'remove', 'corp-ldap', 'developers'],
        [{ op: 'group.remove', entry: 0, group: 1 }],
      );
      assert.deepEqual(
        impact.changes.map((c) => [c.email, c.before, c.after]),
        [['jane@example.org', 'admin,user', 'admin']],
      );
      assert.equal(impact.lockout.blocked, false);
    });

    it("an entry moved: no user's roles change", async () => {
      const { impact } = await draft(
        ['mappings', 'move', 'local', '--to', '0'],
        [{ op: 'entry.move', from: 1, to: 0 }],
      );
      assert.deepEqual(impact.changes, []);
      assert.match(impact.summary, /no user's roles change/);
    });

    it('a connector renamed (with its mappings): its identities cannot log in through the old id', async () => {
      const { impact } = await draft(
        ['connectors', 'rename', 'corp-ldap', 'corp-ldap-2', '--update-mappings'],
        [{ op: 'connector.rename', from: 'corp-ldap', to: 'corp-ldap-2' }],
        { renamed: ['corp-ldap', 'corp-ldap-2'] },
      );
      assert.equal(impact.changes.length, DIRECTORY.people.length);
    });

    it('the only admin group removed: jane loses admin, the save is refused, nothing written', async () => {
      const { impact } = await draft(
        ['mappings', 'remove', 'corp-ldap', 'admins'],
        [{ op: 'group.remove', entry: 0, group: 0 }],
      );
      assert.equal(impact.lockout.blocked, true);
      const jane = impact.changes.find((c) => c.email === 'jane@example.org')!;
      assert.equal(jane.losesAdmin, true);
      assert.equal(impact.changes[0]!.email, 'jane@example.org', 'admin losses first');
      const r = await runCli(['mappings', 'remove', 'corp-ldap', 'admins', ...kube('admin')]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /nothing was written/);
      assert.match(r.stderr, /hint: review it with --dry-run; --allow-lockout saves it anyway\n$/);
      const res = await adminClient().get<{ data: Record<string, string> }>(
        `/api/v1/namespaces/${ns}/secrets/dex-config`,
      );
      assert.equal(Buffer.from(res.body.data.rolesMapping!, 'base64').toString('utf8'), MAPPING);
    });
  },
);
