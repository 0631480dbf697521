// Real logins after the tool's writes. The tool edits dex-config the way the TUI does (the domain
// edit the dialog or form stages, then the store's save against the real kube-apiserver); the
// test reads the saved config.yaml back with its own client and starts the real Dex on it, with a
// real slapd behind the LDAP connector. Then people log in as a browser does (the login form, the
// code exchanged at /token) and the id_token is read.
//
// The stack has no Dex pod (no kubelet): the harness plays the Deployment's part openly by running
// `dex serve` on the saved config.yaml, with memory storage as the only change where the fixture
// config would need a cluster (its storage is already memory here).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { schemaFor } from '../../source/domain/connectorSchemas.js';
import { applyDexEdits, DexConfigDocument, type DexEdit } from '../../source/domain/dexConfig.js';
import { validateDexConfig } from '../../source/domain/dexValidation/index.js';
import { hashPassword } from '../../source/password/hash.js';
import { openStore } from '../../source/store/connect.js';
import type { Store } from '../../source/store/types.js';
import { formEdits, formFields, validateForm } from '../../source/ui/state/connectorForm.js';
import { dexAddress, ensureDex, startDex, TEST_CLIENT, type DexAddress, type DexRun } from '../stack/dex.js';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';
import { startSlapd, type RunningSlapd } from '../stack/slapd.js';
import { DIRECTORY } from './lib/dexDifferential.js';

const OLD_PASSWORD = 'password';
const OLD_HASH = '$2a$10$v5fRDTF7tfVPeCO95IHSQOgkkSQqsRda1PoMNmQYeaoNH4PszHJqG'; // Go bcrypt of "password"
const EMAIL = 'admin@example.com';

/** The operator's starting point: a config Dex runs, with the password DB and one local user. */
function initialConfig(issuer: string): string {
  return `issuer: "${issuer}"
storage:
  type: memory
enablePasswordDB: true
oauth2:
  skipApprovalScreen: true
staticClients:
- id: ${TEST_CLIENT.id}
  secret: ${TEST_CLIENT.secret}
  name: EDA test client
  redirectURIs: ["${TEST_CLIENT.redirectURI}"]
staticPasswords:
- email: "${EMAIL}"
  hash: "${OLD_HASH}"
  username: "admin"
  userID: "08a8684b-db88-4b73-90a9-3cd1661f5466"
`;
}

let ldap: RunningSlapd;
let ns: string;
let store: Store;
let address: DexAddress;

before(async () => {
  await ensureDex();
  ldap = await startSlapd(DIRECTORY);
  address = await dexAddress();
  ns = await createTestNamespace('dex-logins', { fixtures: true });
  const res = await adminClient().patch(`/api/v1/namespaces/${ns}/secrets/dex-config`, {
    stringData: { 'config.yaml': initialConfig(address.issuer) },
  });
  assert.equal(res.status, 200);
  store = await openStore({
    kubeconfig: getStack().kubeconfigs.admin,
    namespace: ns,
    requestTimeoutMs: 20_000,
  });
});
after(async () => {
  await ldap?.stop();
});

/** Stages `edits` on the current config.yaml and saves it, as the TUI's save does; returns the errors validate sees. */
async function saveEdits(edits: DexEdit[]): Promise<string[]> {
  const snapshot = await store.loadSnapshot();
  const next = applyDexEdits(snapshot.dexConfig.data['config.yaml']!, edits);
  await store.saveDexConfig({ base: snapshot.dexConfig, changes: { 'config.yaml': next } });
  return validateDexConfig(DexConfigDocument.parse(next))
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.code}: ${p.message}`);
}

/** config.yaml as saved, read with the test's own client (not the store under test). */
async function savedConfig(): Promise<string> {
  const res = await adminClient().get<{ data: Record<string, string> }>(
    `/api/v1/namespaces/${ns}/secrets/dex-config`,
  );
  assert.equal(res.status, 200);
  return Buffer.from(res.body.data['config.yaml']!, 'base64').toString('utf8');
}

/** Dex on the saved config, for one check; always stopped. */
async function withDex<T>(check: (dex: DexRun) => Promise<T>): Promise<T> {
  const dex = await startDex(await savedConfig(), address);
  try {
    assert.equal(dex.outcome, 'ready', `Dex did not start on the saved config:\n${dex.log}`);
    assert.deepEqual(dex.failedConnectors, [], 'a connector failed to open');
    return await check(dex);
  } finally {
    await dex.stop();
  }
}

/** A failed login check's message: Dex's answer and what Dex logged about it. */
async function failure(r: { error?: string }, dex: DexRun): Promise<string> {
  return `login failed: ${r.error}; Dex logs: ${(await dex.errorsLogged()).join(' | ') || '(nothing)'}`;
}

describe('a Dex local user whose password the tool resets', { concurrency: 1 }, () => {
  it('logs in with the new password and no longer with the old one', async () => {
    await withDex(async (dex) => {
      const before = await dex.browserLogin('local', EMAIL, OLD_PASSWORD);
      assert.ok(before.ok, `the fixture user cannot log in before the reset: ${before.error}`);
    });
    const newPassword = 'a new long password';
    // What the Dex local users dialog stages (StaticPasswordDialog), with its default cost.
    const errors = await saveEdits([
      { op: 'static.setHash', email: EMAIL, hash: await hashPassword(newPassword, 10) },
    ]);
    assert.deepEqual(errors, []);
    assert.doesNotMatch(await savedConfig(), new RegExp(OLD_HASH.replace(/[$.]/g, '\\$&')));
    await withDex(async (dex) => {
      const ok = await dex.browserLogin('local', EMAIL, newPassword);
      if (!ok.ok) assert.fail(await failure(ok, dex));
      assert.equal(ok.claims?.email, EMAIL);
      const old = await dex.browserLogin('local', EMAIL, OLD_PASSWORD);
      assert.equal(old.ok, false);
      assert.equal(old.error, 'the login form refused it: Invalid Email Address and password.');
    });
  });
});

describe(
  'an LDAP connector added through the connector form, against the real slapd',
  { concurrency: 1 },
  () => {
    const schema = schemaFor('ldap')!;
    const fields = formFields(schema, false);
    const texts = (over: Record<string, string> = {}): Record<string, string> => ({
      id: 'corp-ldap',
      name: 'Corporate LDAP',
      host: ldap.host,
      insecureNoSSL: 'true',
      bindDN: ldap.bindDN,
      bindPW: ldap.bindPW,
      userSearch: `{baseDN: "${ldap.peopleDN}", filter: "(objectClass=inetOrgPerson)", username: uid, idAttr: uid, emailAttr: mail, nameAttr: cn}`,
      groupSearch: `{baseDN: "${ldap.groupsDN}", filter: "(objectClass=groupOfNames)", userMatchers: [{userAttr: DN, groupAttr: member}], nameAttr: cn}`,
      ...over,
    });
    /** Adds the connector as the form's "add" does (replacing the previous test's one). */
    async function addConnector(over: Record<string, string> = {}): Promise<string[]> {
      const t = texts(over);
      assert.deepEqual(validateForm(fields, t, { otherIds: [], enablePasswordDB: true }, false), {});
      const current = DexConfigDocument.parse((await store.loadSnapshot()).dexConfig.data['config.yaml']!);
      const remove: DexEdit[] = current.connector('corp-ldap')
        ? [{ op: 'connector.remove', id: 'corp-ldap' }]
        : [];
      return saveEdits([...remove, ...formEdits('ldap', fields, t)]);
    }

    it('logs people in with the groups of the directory (different memberships)', async () => {
      assert.deepEqual(await addConnector(), []);
      await withDex(async (dex) => {
        const expected: Record<string, string[]> = {
          jane: ['admins', 'developers'],
          john: ['developers'],
          nora: ['auditors'],
        };
        for (const person of DIRECTORY.people) {
          const r = await dex.browserLogin('corp-ldap', person.uid, person.password);
          if (!r.ok) assert.fail(`${person.uid}: ${await failure(r, dex)}`);
          assert.equal(r.claims?.email, person.mail);
          assert.deepEqual([...((r.claims?.groups as string[]) ?? [])].sort(), expected[person.uid]);
        }
        const wrong = await dex.browserLogin('corp-ldap', 'jane', 'not-janes-password');
        assert.equal(wrong.ok, false);
        assert.match(wrong.error!, /^the login form refused it: Invalid Username and password\.$/);
      });
    });

    it('a wrong bind password passes validate (it cannot know) and the failed login names it', async () => {
      assert.deepEqual(await addConnector({ bindPW: 'not-the-bind-password' }), []);
      await withDex(async (dex) => {
        const r = await dex.browserLogin('corp-ldap', 'jane', 'jane-pass-1');
        assert.equal(r.ok, false);
        assert.match(
          await failure(r, dex),
          /Dex logs: .*initial bind for user "cn=dex,dc=example,dc=org" failed: LDAP Result Code 49 "Invalid Credentials"/,
        );
      });
    });

    it('a base DN that does not exist passes validate and the failed login names it', async () => {
      const userSearch = texts().userSearch.replace(ldap.peopleDN, 'ou=staff,dc=example,dc=org');
      assert.deepEqual(await addConnector({ userSearch }), []);
      await withDex(async (dex) => {
        const r = await dex.browserLogin('corp-ldap', 'jane', 'jane-pass-1');
        assert.equal(r.ok, false);
        assert.match(await failure(r, dex), /Dex logs: .*No Such Object/);
      });
    });

    it('a base DN that is not a DN at all is caught by validate', async () => {
      const userSearch = texts().userSearch.replace(ldap.peopleDN, 'people.example.org');
      const errors = await addConnector({ userSearch });
      assert.deepEqual(errors, [
        'connector.rule: userSearch.baseDN of connector "corp-ldap" is "people.example.org", which is not an LDAP DN (attribute=value pairs separated by commas, e.g. ou=people,dc=example,dc=org): Dex starts, but every login through it fails.',
      ]);
    });
  },
);
