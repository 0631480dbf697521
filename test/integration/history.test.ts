// The shared revision history against the real kube-apiserver (test/stack): a second operator
// (identity `operator`, user operator-two, with a Role this file grants) sees and rolls back the
// first one's revision; 200 racing saves and rollbacks from two store instances leave a complete,
// ordered history; a 403 on the history Secret falls back to the local backup with a warning; and a
// simulated `helm upgrade` (the harness rewrites dex-config as the chart renders it) is detected and
// the lost connector re-applied.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { applyDexEdits } from '../../source/domain/dexConfig.js';
import { decodeHistory, type HistoryDoc } from '../../source/domain/history.js';
import { openStore } from '../../source/store/connect.js';
import { ConflictError } from '../../source/store/errors.js';
import type { Store } from '../../source/store/types.js';
import {
  DEX_CONFIG_YAML,
  adminClient,
  createTestNamespace,
  getStack,
  type KubeClient,
} from '../stack/env.js';
import { run as runLocal, type Result } from '../unit/cli/harness.js';
import { HAND, helmRender } from './lib/helm.js';

type Who = 'admin' | 'operator';
const state = mkdtempSync(join(tmpdir(), 'eda-history-state-'));
process.env.XDG_STATE_HOME = state;
const admin = (): KubeClient => adminClient();
const decoded = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

const cli = (ns: string, who: Who, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> =>
  runLocal([...argv, '--kubeconfig', getStack().kubeconfigs[who], '-n', ns, '--request-timeout', '20s'], {
    env: { XDG_STATE_HOME: state, ...env },
  });

const storeAs = (ns: string, who: Who): Promise<Store> =>
  openStore({ kubeconfig: getStack().kubeconfigs[who], namespace: ns, requestTimeoutMs: 20_000 });

async function grantOperator(ns: string, rules: unknown[]): Promise<void> {
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
  const role = await admin().post(`${rbac}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'eda-operator-two' },
    rules,
  });
  assert.equal(role.status, 201, JSON.stringify(role.body));
  const binding = await admin().post(`${rbac}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'eda-operator-two' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'eda-operator-two' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'operator-two' }],
  });
  assert.equal(binding.status, 201, JSON.stringify(binding.body));
}

/** The README's Role: what an operator of the tool gets. */
const OPERATOR_ROLE = [
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'patch', 'create', 'delete'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
];

async function dexConfig(ns: string) {
  const res = await admin().get(`/api/v1/namespaces/${ns}/secrets/dex-config`);
  assert.equal(res.status, 200);
  const body = res.body as {
    metadata: {
      resourceVersion: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    data: Record<string, string>;
  };
  return { ...body, text: Object.fromEntries(Object.entries(body.data).map(([k, v]) => [k, decoded(v)])) };
}

async function history(ns: string): Promise<HistoryDoc | undefined> {
  const res = await admin().get(`/api/v1/namespaces/${ns}/secrets/dex-config-history`);
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200);
  const data = (res.body as { data: Record<string, string> }).data;
  return decodeHistory(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, decoded(v)])));
}

describe('shared revision history (real API server)', () => {
  let ns: string;
  before(async () => {
    ns = await createTestNamespace('history', { fixtures: true });
    await grantOperator(ns, OPERATOR_ROLE);
  });

  it('a second operator sees the first one’s revision with its author and rolls it back', async () => {
    const first = await storeAs(ns, 'admin');
    const base = await first.getDexConfig();
    const saved = await first.saveDexConfig({
      base,
      changes: { 'config.yaml': applyDexEdits(base.data['config.yaml'], [HAND]) },
    });
    assert.equal(saved.historyWarning, undefined);
    const n = saved.revision!;
    assert.ok(n >= 1);
    // The stamp: revision and the hash of what was written.
    const stamped = await dexConfig(ns);
    assert.equal(stamped.metadata.annotations['epinio-dex-admin/revision'], String(n));
    assert.match(stamped.metadata.annotations['epinio-dex-admin/content-hash'], /^sha256:[0-9a-f]{64}$/);

    const list = await cli(ns, 'operator', ['history', 'list', '-o', 'json']);
    assert.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout).revisions as {
      number: number;
      author: string;
      authorSource: string;
      summary: string;
      kind: string;
    }[];
    assert.deepEqual(
      { ...rows[0] },
      {
        ...rows[0],
        number: n,
        author: 'admin',
        authorSource: 'server',
        summary: 'connector hand added',
        kind: 'save',
      },
    );
    const show = await cli(ns, 'operator', ['history', 'show', String(n)]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^author: {2}admin$/m);
    assert.match(show.stdout, /^summary: connector hand added$/m);
    assert.match(show.stdout, /^\+ {2}id: "?hand"?$/m);
    assert.match(show.stdout, /clientSecret: \*\*\*/);
    assert.doesNotMatch(show.stdout + list.stdout, /hand0secret0value/);

    const dry = await cli(ns, 'operator', ['history', 'rollback', String(n), '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^- {2}id: "?hand"?$/m);
    assert.match(dry.stdout, /dry run: roll back revision \d+; nothing was written/);
    assert.equal((await dexConfig(ns)).metadata.resourceVersion, stamped.metadata.resourceVersion);

    const back = await cli(ns, 'operator', ['history', 'rollback', String(n)]);
    assert.equal(back.code, 0, back.stderr);
    assert.match(
      back.stdout,
      new RegExp(`saved config.yaml: roll back revision ${n} \\(revision ${n + 1}\\)`),
    );
    const after = await dexConfig(ns);
    assert.equal(after.text['config.yaml'], base.data['config.yaml']);
    const doc = (await history(ns))!;
    const last = doc.revisions[doc.revisions.length - 1];
    assert.equal(last.number, n + 1);
    assert.equal(last.kind, 'rollback');
    assert.equal(last.rollbackOf, n);
    assert.deepEqual(last.author, { name: 'operator-two', source: 'server' });
    assert.equal(last.summary, `rollback of revision ${n}: connector hand removed`);
  });

  it('a revision that is not there: exit 4, the exact words, nothing written', async () => {
    const before = await dexConfig(ns);
    const r = await cli(ns, 'operator', ['history', 'rollback', '9999']);
    assert.equal(r.code, 4);
    assert.match(
      r.stderr,
      /^error: revision 9999 is not in the history \(it holds revisions 1 to \d+\); nothing was written$/m,
    );
    assert.equal((await dexConfig(ns)).metadata.resourceVersion, before.metadata.resourceVersion);
    const bad = await cli(ns, 'operator', ['history', 'show', 'x1']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: invalid revision "x1": a revision is a number from `history list`$/m);
  });

  it('200 racing saves and rollbacks from two store instances leave a complete, ordered history', async () => {
    const rns = await createTestNamespace('history-race', { fixtures: true });
    await grantOperator(rns, OPERATOR_ROLE);
    // Keep them all (the default keeps 20).
    const created = await admin().post(`/api/v1/namespaces/${rns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'dex-config-history', annotations: { 'epinio-dex-admin/history-keep': '1000' } },
    });
    assert.equal(created.status, 201);
    const stores = [await storeAs(rns, 'admin'), await storeAs(rns, 'operator')];
    const results: { op: string; revision?: number; warning?: string }[] = [];
    let conflicts = 0;
    const added: number[] = [];
    const TOTAL = 200;
    let issued = 0;
    // Two workers per store instance: four writers in flight; every fourth operation is a rollback.
    const worker = async (store: Store) => {
      for (;;) {
        const i = issued++;
        if (i >= TOTAL) return;
        const base = await store.getDexConfig();
        try {
          if (i % 4 === 3 && added.length) {
            const doc = await store.readHistory();
            const target = doc.doc.revisions.find((r) => r.number === added[0])!;
            added.shift();
            const r = await store.saveDexConfig({
              base,
              changes: { ...target.values!.before },
              record: { kind: 'rollback', rollbackOf: target.number },
            });
            results.push({
              op: `rollback ${target.number}`,
              revision: r.revision,
              warning: r.historyWarning,
            });
          } else {
            const r = await store.saveDexConfig({ base, changes: { [`race-${i}`]: `value ${i}` } });
            results.push({ op: `race-${i}`, revision: r.revision, warning: r.historyWarning });
            if (r.revision !== undefined) added.push(r.revision);
          }
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          conflicts++;
        }
      }
    };
    await Promise.all([worker(stores[0]), worker(stores[0]), worker(stores[1]), worker(stores[1])]);
    assert.equal(results.length + conflicts, TOTAL);
    assert.deepEqual(
      results.filter((r) => r.revision === undefined || r.warning),
      [],
    );
    const doc = (await history(rns))!;
    const numbers = doc.revisions.map((r) => r.number);
    // Complete: one revision per successful save, numbered 1..n without a gap, in order.
    assert.deepEqual(
      numbers,
      Array.from({ length: results.length }, (_, k) => k + 1),
    );
    assert.deepEqual(
      results.map((r) => r.revision).sort((a, b) => a! - b!),
      numbers,
    );
    // Each revision is the save that got its number, with the author of the store that made it.
    for (const r of results) {
      const rev = doc.revisions[r.revision! - 1];
      if (r.op.startsWith('race-')) {
        assert.deepEqual(rev.keys, [r.op]);
        assert.equal(rev.kind, 'save');
      } else assert.equal(rev.kind, 'rollback');
    }
    assert.deepEqual(new Set(doc.revisions.map((r) => r.author.name)), new Set(['admin', 'operator-two']));
    for (let k = 1; k < doc.revisions.length; k++) assert.ok(doc.revisions[k].at >= doc.revisions[k - 1].at);
  });

  it('a 403 on the history Secret: the save succeeds, the local backup is the fallback, and the tool says so', async () => {
    const fns = await createTestNamespace('history-403', { fixtures: true });
    // dex-config only, by name: no right on dex-config-history.
    await grantOperator(fns, [
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['dex-config'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['list'] },
    ]);
    const store = await storeAs(fns, 'operator');
    const base = await store.getDexConfig();
    const r = await store.saveDexConfig({ base, changes: { rolesMapping: '[]\n' } });
    assert.equal(r.secret.data.rolesMapping, '[]\n');
    assert.equal(r.revision, undefined);
    assert.ok(r.backupId);
    assert.ok(existsSync(join(state, 'epinio-dex-admin', 'backups', `${r.backupId}.json`)));
    assert.equal(
      r.historyWarning,
      `revision not recorded in the cluster history: forbidden: cannot get secrets "dex-config-history" in namespace "${fns}": ` +
        `secrets "dex-config-history" is forbidden: User "operator-two" cannot get resource "secrets" in API group "" in the namespace "${fns}" ` +
        `(check your rights with: kubectl auth can-i get secrets/dex-config-history -n ${fns}); ` +
        `the local backup ${r.backupId} keeps the previous values (\`backups restore ${r.backupId}\`)`,
    );
    assert.equal(await history(fns), undefined);
    // The command says it too, and still exits 0.
    const cmd = await cli(fns, 'operator', ['mappings', 'add-entry', 'github']);
    assert.equal(cmd.code, 0, cmd.stderr);
    assert.match(
      cmd.stderr,
      /^warning: revision not recorded in the cluster history: forbidden: cannot get secrets "dex-config-history" .*; the local backup \S+ keeps the previous values/m,
    );
    assert.match((await dexConfig(fns)).text.rolesMapping, /connectorId: "?github"?/);
    const list = await cli(fns, 'operator', ['history', 'list']);
    assert.equal(list.code, 0);
    assert.match(
      list.stderr,
      /^warning: the history cannot be read: forbidden: cannot get secrets "dex-config-history"/m,
    );
  });

  it('harness plays helm upgrade: re-rendered dex-config is detected and the lost connector re-applied with one confirmation (command)', async () => {
    const hns = await createTestNamespace('history-helm', { fixtures: true });
    await helmRender(hns, DEX_CONFIG_YAML, 'epinio-1.14.1');
    const store = await storeAs(hns, 'admin');
    const base = await store.getDexConfig();
    const saved = await store.saveDexConfig({
      base,
      changes: { 'config.yaml': applyDexEdits(base.data['config.yaml'], [HAND]) },
    });
    assert.ok(saved.revision);
    // The chart's new output: its own change (a new oauth2 setting) and no hand-added connector.
    const chart = DEX_CONFIG_YAML.replace(
      'oauth2: { skipApprovalScreen: true }',
      'oauth2: { skipApprovalScreen: true, alwaysShowLoginScreen: false }',
    );
    await helmRender(hns, chart, 'epinio-1.14.2');
    assert.doesNotMatch((await dexConfig(hns)).text['config.yaml'], /id: "?hand/);

    const dry = await cli(hns, 'admin', ['history', 'reapply', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stderr,
      /^Helm re-rendered dex-config \(chart epinio-1\.14\.1 → epinio-1\.14\.2\): dex-config no longer holds what the tool wrote at revision \d+$/m,
    );
    assert.match(dry.stderr, new RegExp(`^re-applying revision ${saved.revision}$`, 'm'));
    assert.match(dry.stdout, /^\+ {2}id: "?hand"?$/m);
    assert.doesNotMatch(dry.stdout, /hand0secret0value/);
    assert.doesNotMatch((await dexConfig(hns)).text['config.yaml'], /id: "?hand/);

    const r = await cli(hns, 'admin', ['history', 'reapply']);
    assert.equal(r.code, 0, r.stderr);
    const now = (await dexConfig(hns)).text['config.yaml'];
    assert.match(now, /id: "?hand"?/);
    assert.match(now, /clientSecret: "?hand0secret0value0never0shown"?/);
    assert.match(now, /alwaysShowLoginScreen: false/);
    const doc = (await history(hns))!;
    assert.equal(doc.revisions[doc.revisions.length - 1].kind, 'reapply');
    // Nothing left to re-apply, and no longer reported.
    const again = await cli(hns, 'admin', ['history', 'reapply']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^dex-config still holds what the tool last wrote/m);
    assert.match(again.stdout, /dex-config already holds it; nothing was written/);
  });
});
