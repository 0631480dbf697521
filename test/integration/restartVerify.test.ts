// Verify after restart (issue 13 part 1) against the real kube-apiserver. The stack has no
// controllers or kubelet: test/stack/controllers.ts plays the Deployment controller and the
// kubelet, with the real Dex as the pod's container (its exit, termination message and log are
// Dex's own), and serves discovery through the real API server's service proxy.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../source/store/connect.js';
import type { KubeStore } from '../../source/store/kube/kubeStore.js';
import { startHarness, type Harness } from '../stack/controllers.js';
import { adminClient, createTestNamespace, getStack, getStackInfo, type Identity } from '../stack/env.js';
import { run as runCli, type Result } from '../unit/cli/harness.js';

const ISSUER = 'http://dex.restart.test/dex';
const GH_SECRET = 'gh-secret-Zq81vXw02LmT';
const GOOD = `issuer: ${ISSUER}
storage: { type: memory }
enablePasswordDB: true
connectors:
- type: github
  id: github
  name: GitHub
  config:
    clientID: gh-client
    clientSecret: "${GH_SECRET}"
    redirectURI: ${ISSUER}/callback
`;
const WITH_GITLAB = `${GOOD}- type: gitlab
  id: gitlab
  name: GitLab
  config:
    clientID: gl-client
    clientSecret: gl-secret-value
    redirectURI: ${ISSUER}/callback
`;
// Dex exits on this ("invalid config value ... for id token expiry") and prints the value: a
// secret's value, which must come out masked.
const REJECTED = `${GOOD}expiry: { idTokens: "${GH_SECRET}" }\n`;
// Dex 2.45 serves on, without this connector ("Failed to open connector").
const UNREACHABLE_OIDC = `${GOOD}- type: oidc
  id: corp
  name: Corp
  config:
    issuer: http://127.0.0.1:1/corp
    clientID: corp
    clientSecret: corp-secret-value
    redirectURI: ${ISSUER}/callback
`;

let stateDir: string;
let ns: string;
let harness: Harness;
const client = adminClient();
const secretPath = () => `/api/v1/namespaces/${ns}/secrets/dex-config`;

async function configInCluster(): Promise<string> {
  const res = await client.get(secretPath());
  return Buffer.from(res.body.data['config.yaml'], 'base64').toString('utf8');
}

const open = async (identity: Identity = 'admin') => {
  const store = (await openStore({
    kubeconfig: getStack().kubeconfigs[identity === 'none' ? 'none' : identity],
    namespace: ns,
    requestTimeoutMs: 10_000,
  })) as KubeStore;
  store.pollMs = 250;
  return store;
};

/** Saves config.yaml as the tool does (precondition, backup). */
async function save(config: string): Promise<string | undefined> {
  const store = await open();
  const base = await store.getDexConfig();
  return (await store.saveDexConfig({ base, changes: { 'config.yaml': config } })).backupId;
}

const cli = (argv: string[], identity: Identity = 'admin'): Promise<Result> =>
  runCli([...argv, '--kubeconfig', getStack().kubeconfigs[identity], '-n', ns], {
    env: { XDG_STATE_HOME: stateDir },
  });

before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'eda-int-restart-'));
  process.env.XDG_STATE_HOME = stateDir;
  ns = await createTestNamespace('restart-verify', { fixtures: true });
  const res = await client.patch(secretPath(), { stringData: { 'config.yaml': GOOD } });
  assert.equal(res.status, 200);
  harness = await startHarness(client, ns);
  assert.ok(
    harness.events.some((e) => e.what === 'ready'),
    `the install's Dex pod did not start: ${JSON.stringify(harness.events)}`,
  );
});
after(async () => {
  await harness?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('verify after restart (harness plays the Deployment controller and kubelet; the container is the real Dex)', () => {
  it('a rejected config is reported failed from the new pod, with the termination message and masked log lines', async () => {
    await save(REJECTED);
    const store = await open();
    let failedAt = 0;
    const result = await store.restartDex({
      wait: true,
      timeoutMs: 60_000,
      onProgress: (p) => {
        if (p.phase === 'failed' && !failedAt) failedAt = Date.now();
      },
    });
    assert.equal(result.phase, 'failed', result.message);
    assert.match(
      result.message,
      /^new Dex pod dex-[0-9a-f]{10}-\S+ (?:crashed \(Error, not restarted yet\)|is crash-looping \(CrashLoopBackOff, 1 restarts\)), exit code 2; the old pod still serves \(1 ready\)$/,
    );
    const f = result.failure!;
    assert.equal(f.container, 'dex');
    assert.equal(f.exitCode, 2);
    assert.match(f.message ?? '', /invalid config value "\*\*\*" for id token expiry/);
    assert.ok(
      f.logs && f.logs.some((l) => l.includes('invalid config value "***" for id token expiry')),
      JSON.stringify(f),
    );
    assert.ok(!JSON.stringify(result).includes(GH_SECRET), 'the secret value leaked');
    // The Deployment itself still says "progressing" (old pod serving, no deadline condition).
    const dep = (await client.get(`/apis/apps/v1/namespaces/${ns}/deployments/dex`)).body;
    assert.equal(dep.status.updatedReplicas, 1);
    assert.equal(dep.status.replicas, 2);
    assert.ok(
      !(dep.status.conditions ?? []).some(
        (c: { reason?: string }) => c.reason === 'ProgressDeadlineExceeded',
      ),
    );
    const crash = harness.events.filter((e) => e.what === 'crash').at(-1)!;
    console.log(
      `restart-verify: failure reported ${failedAt - crash.at} ms after the pod's first crash (harness clock)`,
    );
    await save(GOOD);
  });

  it('a pod first seen restarted (CrashLoopBackOff): crash-looping, its log asked for with previous=true', async () => {
    await save(REJECTED);
    harness.crashSeenRestarted = true;
    try {
      const result = await (await open()).restartDex({ wait: true, timeoutMs: 60_000 });
      assert.equal(result.phase, 'failed', result.message);
      assert.match(result.message, /is crash-looping \(CrashLoopBackOff, 1 restarts\), exit code 2;/);
      assert.equal(result.failure?.reason, 'Error');
      const asked = harness.logRequests.filter((r) => r.pod === result.failure?.pod);
      assert.deepEqual(asked, [
        { pod: result.failure?.pod, container: 'dex', previous: true, tailLines: 20 },
      ]);
      assert.ok(result.failure?.logs?.some((l) => l.includes('for id token expiry')));
    } finally {
      harness.crashSeenRestarted = false;
      await save(GOOD);
    }
  });

  it('dex restart --wait --rollback-on-failure: exit 6, the previous config.yaml is back in the Secret and Dex restarted on it', async () => {
    await save(GOOD);
    const before = harness.events.filter((e) => e.what === 'ready').length;
    await save(REJECTED);
    const r = await cli(['dex', 'restart', '--wait', '--timeout', '60s', '--rollback-on-failure']);
    assert.equal(r.code, 6, r.stdout + r.stderr);
    assert.match(r.stdout, /^failed: new Dex pod \S+ (?:crashed|is crash-looping)/);
    assert.match(
      r.stdout,
      /termination message:\n( {4}.*\n)* {4}invalid config value "\*\*\*" for id token expiry/,
    );
    assert.match(
      r.stdout,
      /rolled back: restored .*config\.yaml.* from backup \S+ \(the failed version is backup \S+\)/,
    );
    assert.match(r.stdout, /after rollback: ready: Dex restarted: 1 of 1 pods available/);
    assert.ok(!(r.stdout + r.stderr).includes(GH_SECRET));
    assert.equal(await configInCluster(), GOOD);
    assert.equal(harness.events.filter((e) => e.what === 'ready').length, before + 1);
  });

  it('a ready rollout: exit 0, discovery answers through the service proxy and the added connector opened', async () => {
    await save(GOOD);
    await save(WITH_GITLAB);
    const r = await cli(['dex', 'restart', '--wait', '--timeout', '60s']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ready: Dex restarted: 1 of 1 pods available/);
    assert.match(r.stdout, /ok: connector gitlab opened/);
    assert.doesNotMatch(r.stdout, /connector github/, 'an unchanged connector is not a change to check');
    if (harness.serviceIp) assert.match(r.stdout, new RegExp(`ok: discovery answers \\(issuer ${ISSUER}\\)`));
    else assert.match(r.stdout, /not checked: discovery not checked/);
  });

  it("Dex serves but the added connector failed to open: failed (exit 6), with Dex's error", async () => {
    await save(GOOD);
    await save(UNREACHABLE_OIDC);
    const r = await cli(['dex', 'restart', '--wait', '--timeout', '60s']);
    assert.equal(r.code, 6, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^failed: Dex runs, but connector corp failed to open: failed to open connector: .*connection refused/,
    );
    assert.match(r.stdout, /FAILED: connector corp failed to open/);
    await save(GOOD);
  });

  it('a new pod running but never ready while the old one serves is failed after the grace (harness: not ready on cue)', async () => {
    harness.behaviour = 'notReady';
    try {
      const store = await open();
      store.notReadyAfterMs = 1500;
      const result = await store.restartDex({ wait: true, timeoutMs: 30_000 });
      assert.equal(result.phase, 'failed', result.message);
      assert.match(result.message, /is running but not ready for \ds; the old pod still serves \(1 ready\)$/);
    } finally {
      harness.behaviour = 'dex';
    }
  });

  it('timed out (exit 7) when the new pod never starts (harness: the pod stays ContainerCreating)', async () => {
    harness.behaviour = 'stall';
    try {
      const r = await cli(['dex', 'restart', '--wait', '--timeout', '3s']);
      assert.equal(r.code, 7, r.stdout + r.stderr);
      assert.match(r.stdout, /^timeout: Dex rollout not finished after 3s: /);
    } finally {
      harness.behaviour = 'dex';
    }
    // Leave a serving pod for the next test.
    const store = await open();
    assert.equal((await store.restartDex({ wait: true, timeoutMs: 60_000 })).phase, 'ready');
  });

  it('--rollback-on-failure without --wait is a usage error (exit 2) and restarts nothing', async () => {
    const gen = (await client.get(`/apis/apps/v1/namespaces/${ns}/deployments/dex`)).body.metadata.generation;
    const r = await cli(['dex', 'restart', '--rollback-on-failure']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: --rollback-on-failure needs --wait/);
    assert.equal(
      (await client.get(`/apis/apps/v1/namespaces/${ns}/deployments/dex`)).body.metadata.generation,
      gen,
    );
  });
});

describe('verify after restart without the rights to see pods (RBAC; harness as above)', () => {
  const rolePath = () => `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`;
  const base = [
    { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] },
  ];
  async function grant(rules: unknown[]): Promise<void> {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'eda-restart' },
      rules,
    };
    const put = await client.put(`${rolePath()}/eda-restart`, role);
    if (put.status === 201) {
      const binding = await client.post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'eda-restart' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'eda-restart' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
      });
      assert.equal(binding.status, 201);
    } else assert.equal(put.status, 200, JSON.stringify(put.body));
  }

  it('without replicasets list: says it follows only the counts, and a crash-looping pod times out (exit 7), never "ready"', async () => {
    await grant(base);
    await save(REJECTED);
    try {
      const r = await cli(['dex', 'restart', '--wait', '--timeout', '4s'], 'viewer');
      assert.equal(r.code, 7, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `cannot see: cannot list replicasets in namespace "${ns}": only the Deployment's counts are followed; a crashing new pod is seen only at the progress deadline \\(Role rule: apiGroups \\["apps"\\], resources \\["replicasets"\\], verbs \\["list"\\]\\)`,
        ),
      );
    } finally {
      await save(GOOD);
    }
  });

  it('without pods list: says so', async () => {
    await grant([...base, { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list'] }]);
    const r = await cli(['dex', 'restart', '--wait', '--timeout', '30s'], 'viewer');
    // The counts say ready; what could not be seen is said, not counted as verified.
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ready: Dex restarted: 1 of 1 pods available; not verified: /);
    assert.match(
      r.stdout,
      new RegExp(
        `cannot see: cannot list pods in namespace "${ns}": only the Deployment's counts are followed`,
      ),
    );
    assert.match(
      r.stdout,
      /Role rule: apiGroups \[""\], resources \["pods"\], verbs \["get", "list", "watch"\]/,
    );
  });

  it('without pods/log: failed with the termination message, logs unavailable naming the rule', async () => {
    await grant([
      ...base,
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    ]);
    await save(REJECTED);
    try {
      const r = await cli(['dex', 'restart', '--wait', '--timeout', '60s'], 'viewer');
      assert.equal(r.code, 6, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        /termination message:\n( {4}.*\n)* {4}invalid config value "\*\*\*" for id token expiry/,
      );
      assert.match(
        r.stdout,
        new RegExp(
          `logs unavailable: cannot get pods/log in namespace "${ns}": no log lines are shown \\(Role rule: apiGroups \\[""\\], resources \\["pods/log"\\], verbs \\["get"\\]\\)`,
        ),
      );
      // Nor the service proxy: a ready restart says discovery was not checked.
      await save(GOOD);
      const ok = await cli(['dex', 'restart', '--wait', '--timeout', '60s'], 'viewer');
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /not checked: cannot get services in namespace "[^"]+": discovery not checked/);
    } finally {
      await save(GOOD);
    }
  });

  it("with the README's rules for discovery (services get, services/proxy get on dex and dex:5556), discovery is checked", async () => {
    await grant([
      ...base,
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['services'], resourceNames: ['dex'], verbs: ['get'] },
      { apiGroups: [''], resources: ['services/proxy'], resourceNames: ['dex', 'dex:5556'], verbs: ['get'] },
    ]);
    const r = await cli(['dex', 'restart', '--wait', '--timeout', '60s'], 'viewer');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /cannot see:/);
    if (harness.serviceIp) assert.match(r.stdout, new RegExp(`ok: discovery answers \\(issuer ${ISSUER}\\)`));
  });

  it("without get on dex-config the secrets cannot be known: the pod's own words are withheld, the failure still reported", async () => {
    const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
    const rules = [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ];
    assert.equal(
      (
        await client.post(`${rbac}/roles`, {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'eda-no-secrets' },
          rules,
        })
      ).status,
      201,
    );
    assert.equal(
      (
        await client.post(`${rbac}/rolebindings`, {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'eda-no-secrets' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'eda-no-secrets' },
          subjects: [
            { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: getStackInfo().users.none },
          ],
        })
      ).status,
      201,
    );
    await save(REJECTED);
    try {
      const r = await cli(['dex', 'restart', '--wait', '--timeout', '60s'], 'none');
      assert.equal(r.code, 6, r.stdout + r.stderr);
      assert.match(r.stdout, /^failed: new Dex pod \S+ (?:crashed|is crash-looping)/);
      assert.match(
        r.stdout,
        /termination message:\n {4}\(not shown: config\.yaml could not be read, so its secrets could not be masked in it\)/,
      );
      assert.match(r.stdout, /logs unavailable: not shown: config\.yaml could not be read/);
      assert.doesNotMatch(r.stdout, /id token expiry/);
    } finally {
      await save(GOOD);
    }
  });
});
