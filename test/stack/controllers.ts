// The test stack runs no controller manager and no kubelet, so a Deployment never gets pods. This
// harness plays both, openly, for the restart-verification tests (issue 13):
//
// - Deployment controller: it polls Deployment "dex" of one namespace (every 100 ms); on a template
//   change it creates the ReplicaSet a controller would (name `dex-<pod-template-hash>`, the
//   `pod-template-hash` label, `deployment.kubernetes.io/revision` one above the last, an owner
//   reference to the Deployment) and its pod, keeps the old ReplicaSet serving until the new pod is
//   ready (maxSurge 1, maxUnavailable 0 for one replica), then scales the old one down and deletes
//   its pod; it writes the Deployment's and ReplicaSets' status as the controller would.
// - kubelet: the pod's container is the real Dex of the stack (`dex serve` on the Secret's
//   config.yaml, as the chart mounts it). Dex exiting makes the container terminated with its exit
//   code and, as terminationMessagePolicy FallbackToLogsOnError does, the tail of its log as the
//   termination message; a second later CrashLoopBackOff with restartCount 1. Dex listening makes it
//   running and ready. A Node object points the API server at an HTTPS stand-in for the kubelet's
//   `/containerLogs` endpoint (self-signed: the stack's API server has no kubelet CA, so it does
//   not verify), which serves Dex's real log; so `pods/log` works through the real API server.
// - Service and Endpoints "dex": the endpoint is the pod IP, the host's first non-loopback IPv4
//   (the API server refuses loopback endpoints), where Dex listens: discovery goes through the real
//   service proxy to the real Dex. Without such an address the harness says so (`serviceIp`).
//
// `behaviour` (settable between rollouts) overrides the kubelet for what Dex cannot be made to do
// on cue: 'notReady' (running, never ready) and 'stall' (the pod never starts). The first rollout
// (the install's pod) runs Dex on the Secret as it is when the harness starts.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDex, type DexRun } from './dex.js';
import type { KubeClient } from './http.js';
import { freePort } from './processes.js';

export type Behaviour = 'dex' | 'notReady' | 'stall';

export interface HarnessEvent {
  at: number;
  what: 'replicaset' | 'crash' | 'ready' | 'notReady';
  pod: string;
}

export interface Harness {
  /** The pod IP (and Endpoints address), or undefined when the host has no non-loopback IPv4. */
  serviceIp: string | undefined;
  events: HarnessEvent[];
  behaviour: Behaviour;
  /** The next crash is first seen already restarted (CrashLoopBackOff, lastState.terminated), as a
   *  slower poll would see it: its log must then be asked for with previous=true. */
  crashSeenRestarted: boolean;
  /** What the API server asked the kubelet stand-in for. */
  logRequests: { pod: string; container: string; previous: boolean; tailLines?: number }[];
  stop(): Promise<void>;
}

const REVISION = 'deployment.kubernetes.io/revision';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hostIp(): string | undefined {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

function selfSigned(dir: string): { key: string; cert: string } {
  const key = join(dir, 'kubelet.key');
  const cert = join(dir, 'kubelet.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=eda-harness-kubelet',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

interface PodRun {
  name: string;
  log: () => string;
  dex?: DexRun;
}

const expectOk = (res: { status: number; body: unknown }, what: string): void => {
  if (res.status >= 300)
    throw new Error(`harness: ${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
};

/** Plays the Deployment controller and kubelet for Deployment "dex" in `ns` (see the file comment). */
export async function startHarness(client: KubeClient, ns: string): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'eda-harness-'));
  const serviceIp = hostIp();
  const node = `eda-harness-${ns}`.slice(0, 63);
  const runs = new Map<string, PodRun>();
  const events: HarnessEvent[] = [];
  const harness: Harness = {
    serviceIp,
    events,
    behaviour: 'dex',
    crashSeenRestarted: false,
    logRequests: [],
    stop: async () => {},
  };

  // The kubelet's log endpoint: GET /containerLogs/{ns}/{pod}/{container}?tailLines=N&previous=...
  const tls = selfSigned(dir);
  const kubelet: Server = createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const run = m && m[1] === ns ? runs.get(decodeURIComponent(m[2])) : undefined;
    if (!run) {
      res.writeHead(404).end('no such container');
      return;
    }
    const tailParam = url.searchParams.get('tailLines');
    harness.logRequests.push({
      pod: run.name,
      container: decodeURIComponent(m![3]),
      previous: url.searchParams.get('previous') === 'true',
      ...(tailParam ? { tailLines: Number(tailParam) } : {}),
    });
    let lines = run.log().split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const tail = Number(url.searchParams.get('tailLines') ?? '');
    if (Number.isInteger(tail) && tail >= 0) lines = lines.slice(-tail);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.map((l) => `${l}\n`).join(''));
  });
  const kubeletPort = await freePort();
  await new Promise<void>((r) => kubelet.listen(kubeletPort, '127.0.0.1', r));
  expectOk(
    await client.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: node } }),
    'create node',
  );
  expectOk(
    await client.patch(`/api/v1/nodes/${node}/status`, {
      status: {
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      },
    }),
    'node status',
  );

  const core = `/api/v1/namespaces/${ns}`;
  const apps = `/apis/apps/v1/namespaces/${ns}`;
  if (serviceIp) {
    expectOk(
      await client.post(`${core}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'dex' },
        spec: { clusterIP: 'None', ports: [{ name: 'http', port: 5556 }] },
      }),
      'create service dex',
    );
  }

  let stopped = false;
  let revision = 0;
  let current: { rs: string; rsUid: string; pod: string; hash: string } | undefined;
  const old: { rs: string; pod: string }[] = [];

  const writeDeploymentStatus = async (generation: number, status: Record<string, unknown>) => {
    await client.patch(`${apps}/deployments/dex/status`, {
      status: { observedGeneration: generation, ...status },
    });
  };
  const writeRsStatus = (rs: string, ready: number, replicas: number) =>
    client.patch(`${apps}/replicasets/${rs}/status`, {
      status: { replicas, readyReplicas: ready, availableReplicas: ready, fullyLabeledReplicas: replicas },
    });
  const podStatus = (pod: string, status: Record<string, unknown>) =>
    client.patch(`${core}/pods/${pod}/status`, { status });
  const container = (extra: Record<string, unknown>) => ({
    name: 'dex',
    image: 'ghcr.io/epinio/dex:v2.45.1-epinio-pkce',
    imageID: 'harness',
    ...extra,
  });
  // What the kubelet shows once it has restarted a crashed container: waiting in back-off, the crash
  // kept as lastState.
  const crashLoopBackOff = (terminated: Record<string, unknown>) =>
    container({
      ready: false,
      restartCount: 1,
      state: {
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=dex' },
      },
      lastState: { terminated },
    });

  const rollOut = async (dep: {
    metadata: { uid: string; generation: number; annotations?: Record<string, string> };
    spec: {
      selector: { matchLabels: Record<string, string> };
      template: { metadata?: { labels?: Record<string, string> }; spec: unknown };
    };
  }) => {
    const generation = dep.metadata.generation;
    const hash = createHash('sha256').update(JSON.stringify(dep.spec.template)).digest('hex').slice(0, 10);
    if (current?.hash === hash) {
      await writeDeploymentStatus(generation, {});
      return;
    }
    revision += 1;
    expectOk(
      await client.patch(`${apps}/deployments/dex`, {
        metadata: { annotations: { [REVISION]: String(revision) } },
      }),
      'annotate revision',
    );
    const labels = { ...dep.spec.template.metadata?.labels, 'pod-template-hash': hash };
    const rsName = `dex-${hash}`;
    const rs = await client.post(`${apps}/replicasets`, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        labels,
        annotations: { [REVISION]: String(revision) },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'dex', uid: dep.metadata.uid, controller: true },
        ],
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...dep.spec.selector.matchLabels, 'pod-template-hash': hash } },
        template: { ...dep.spec.template, metadata: { ...dep.spec.template.metadata, labels } },
      },
    });
    expectOk(rs, 'create replicaset');
    const podName = `${rsName}-${revision.toString(36).padStart(5, 'x')}`;
    const pod = await client.post(`${core}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName,
        labels,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rsName,
            uid: rs.body.metadata.uid,
            controller: true,
          },
        ],
      },
      spec: { ...(dep.spec.template.spec as object), nodeName: node },
    });
    expectOk(pod, 'create pod');
    if (current) old.push({ rs: current.rs, pod: current.pod });
    current = { rs: rsName, rsUid: rs.body.metadata.uid, pod: podName, hash };
    events.push({ at: Date.now(), what: 'replicaset', pod: podName });
    const serving = old.length ? 1 : 0;
    await writeRsStatus(rsName, 0, 1);
    await writeDeploymentStatus(generation, {
      replicas: 1 + serving,
      updatedReplicas: 1,
      readyReplicas: serving,
      availableReplicas: serving,
    });
    await podStatus(podName, {
      phase: 'Pending',
      containerStatuses: [
        container({ ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }),
      ],
    });
    if (harness.behaviour === 'stall') return;
    const startedAt = new Date().toISOString();
    const ip = serviceIp ?? '10.0.0.1';
    if (harness.behaviour === 'notReady') {
      runs.set(podName, {
        name: podName,
        log: () => 'time=now level=INFO msg="harness: running, never ready"\n',
      });
      await podStatus(podName, {
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        containerStatuses: [
          container({ ready: false, restartCount: 0, started: true, state: { running: { startedAt } } }),
        ],
      });
      events.push({ at: Date.now(), what: 'notReady', pod: podName });
      return;
    }
    // The container: the real Dex on the Secret's config.yaml.
    const secret = await client.get(`${core}/secrets/dex-config`);
    const config = Buffer.from(secret.body.data['config.yaml'] ?? '', 'base64').toString('utf8');
    // Each pod's Dex on its own port (the Endpoints name it), so the old one serves on.
    const dexPort = await freePort();
    const run = await startDex(config, { port: dexPort, issuer: '' }, serviceIp ? { host: serviceIp } : {});
    runs.set(podName, {
      name: podName,
      dex: run,
      log: () => (run.outcome === 'exited' ? run.log : run.readLog()),
    });
    if (run.outcome === 'exited') {
      const finishedAt = new Date().toISOString();
      const message = run.log.split('\n').filter(Boolean).slice(-5).join('\n');
      const terminated = { exitCode: run.exitCode ?? 1, reason: 'Error', message, startedAt, finishedAt };
      if (harness.crashSeenRestarted) {
        await podStatus(podName, {
          phase: 'Running',
          podIP: ip,
          podIPs: [{ ip }],
          containerStatuses: [crashLoopBackOff(terminated)],
        });
        events.push({ at: Date.now(), what: 'crash', pod: podName });
        return;
      }
      await podStatus(podName, {
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        containerStatuses: [container({ ready: false, restartCount: 0, state: { terminated } })],
      });
      events.push({ at: Date.now(), what: 'crash', pod: podName });
      await sleep(1000);
      if (stopped || current?.pod !== podName) return;
      await podStatus(podName, { containerStatuses: [crashLoopBackOff(terminated)] });
      return;
    }
    await podStatus(podName, {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        container({ ready: true, restartCount: 0, started: true, state: { running: { startedAt } } }),
      ],
    });
    if (serviceIp) {
      const endpoints = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'dex' },
        subsets: [
          {
            addresses: [{ ip: serviceIp, targetRef: { kind: 'Pod', name: podName, namespace: ns } }],
            ports: [{ name: 'http', port: dexPort }],
          },
        ],
      };
      const put = await client.put(`${core}/endpoints/dex`, endpoints);
      if (put.status === 404) expectOk(await client.post(`${core}/endpoints`, endpoints), 'create endpoints');
    }
    await writeRsStatus(podName.replace(/-[^-]+$/, ''), 1, 1);
    for (const o of old.splice(0)) {
      await client.patch(`${apps}/replicasets/${o.rs}`, { spec: { replicas: 0 } });
      await writeRsStatus(o.rs, 0, 0);
      await client.delete(`${core}/pods/${o.pod}`);
      await runs.get(o.pod)?.dex?.stop();
      runs.delete(o.pod);
    }
    await writeDeploymentStatus(generation, {
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
    });
    events.push({ at: Date.now(), what: 'ready', pod: podName });
  };

  // The first ReplicaSet, as the install left it: the Deployment's pod serving.
  let seenGeneration = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        const dep = (await client.get(`${apps}/deployments/dex`)).body;
        if (dep?.metadata?.generation && dep.metadata.generation !== seenGeneration) {
          seenGeneration = dep.metadata.generation;
          await rollOut(dep);
        }
      } catch (err) {
        if (!stopped) console.error(`harness: ${(err as Error).message}`);
      }
      await sleep(100);
    }
  })();
  // Wait for the initial rollout (the install's pod) before the test starts.
  for (let i = 0; i < 300 && !events.some((e) => e.what === 'ready' || e.what === 'crash'); i++) {
    await sleep(100);
  }

  harness.stop = async () => {
    stopped = true;
    await loop;
    for (const r of runs.values()) await r.dex?.stop();
    await new Promise<void>((r) => kubelet.close(() => r()));
    await client.delete(`/api/v1/nodes/${node}`);
    rmSync(dir, { recursive: true, force: true });
  };
  return harness;
}
