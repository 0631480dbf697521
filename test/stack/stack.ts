// The real API server the integration, e2e and reliability suites run against: kube-apiserver and
// etcd built from their Go modules (test/stack/go, cached outside the repository), started on
// loopback with static-token identities and RBAC, plus the Epinio objects in namespace `epinio`.
//
// No controllers run: Deployments never get pods, and nothing garbage-collects. That is enough
// for a tool that only reads and writes Secrets, ConfigMaps and Deployment templates.
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Identity, StackInfo } from './env.js';
import { createNamespace, installFixtures } from './fixtures.js';
import { cacheBase, ensureGoBinaries } from './gobuild.js';
import { kubeClient } from './http.js';
import { freePort, startProcess, startWatchdog, stopProcess, waitUntil } from './processes.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const MODULE_DIR = join(HERE, 'go');

/** The versions come from test/stack/go/go.mod, the one place that pins them. */
export function stackVersions(): { kubernetes: string; etcd: string } {
  const mod = readFileSync(join(MODULE_DIR, 'go.mod'), 'utf8');
  const pick = (path: string): string => {
    const m = new RegExp(`^\\s*${path.replace(/[.]/g, '\\.')} (v\\S+)`, 'm').exec(mod);
    if (!m) throw new Error(`test/stack/go/go.mod does not require ${path}`);
    return m[1];
  };
  return { kubernetes: pick('k8s.io/kubernetes'), etcd: pick('go.etcd.io/etcd/server/v3') };
}

/** Where the binaries live: $EDA_STACK_CACHE/<k8s-version>, default ~/.cache/epinio-dex-admin/stack/<k8s-version>. */
export function stackCacheDir(): string {
  return join(process.env.EDA_STACK_CACHE || join(cacheBase(), 'stack'), stackVersions().kubernetes);
}

/** Builds kube-apiserver, etcd and (optionally) kubectl unless the cache already has them. */
export async function ensureStackBinaries(): Promise<{ apiserver: string; etcd: string; kubectl?: string }> {
  const { kubernetes } = stackVersions();
  const [major, minor] = kubernetes.replace(/^v/, '').split('.');
  // Without these the binaries report v0.0.0-master; tests and `kubectl version` read them.
  const versionFlags = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => [
      `-X ${pkg}.gitVersion=${kubernetes}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
    ])
    .join(' ');
  const paths = await ensureGoBinaries({
    label: `test stack (kube-apiserver ${kubernetes})`,
    moduleDir: MODULE_DIR,
    outDir: stackCacheDir(),
    targets: [
      {
        name: 'kube-apiserver',
        pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
        ldflags: `-s -w ${versionFlags}`,
      },
      { name: 'etcd', pkg: './etcd' },
      {
        name: 'kubectl',
        pkg: 'k8s.io/kubernetes/cmd/kubectl',
        ldflags: `-s -w ${versionFlags}`,
        optional: true,
      },
    ],
  });
  return { apiserver: paths['kube-apiserver'], etcd: paths.etcd, kubectl: paths.kubectl };
}

function probe(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const done = (status: number, body: string): void => resolve({ status, body });
    const onRes = (res: import('node:http').IncomingMessage): void => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done(res.statusCode ?? 0, body));
      res.on('error', () => done(0, ''));
    };
    // The serving certificate is not known yet while probing /readyz; the kubeconfigs pin the CA.
    const req = url.startsWith('https:')
      ? httpsGet(url, { rejectUnauthorized: false, timeout: 2000 }, onRes)
      : httpGet(url, { timeout: 2000 }, onRes);
    req.on('error', () => done(0, ''));
    req.on('timeout', () => req.destroy());
  });
}

const USERS: Record<Identity, { user: string; groups: string[] }> = {
  admin: { user: 'admin', groups: ['system:masters'] },
  viewer: { user: 'viewer', groups: [] },
  usersOnly: { user: 'users-only', groups: [] },
  none: { user: 'nobody', groups: [] },
  // A second operator with no rights of its own: the history tests grant it a Role per namespace.
  operator: { user: 'operator-two', groups: [] },
};

function kubeconfig(
  server: string,
  caFile: string,
  identity: Identity,
  token: string,
  namespace: string,
): string {
  const user = USERS[identity].user;
  // JSON is YAML: every kubeconfig loader (kubectl, client-node) reads it.
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'eda-test', cluster: { server, 'certificate-authority': caFile } }],
      users: [{ name: user, user: { token } }],
      contexts: [{ name: `eda-${user}`, context: { cluster: 'eda-test', user, namespace } }],
      'current-context': `eda-${user}`,
    },
    null,
    2,
  )}\n`;
}

export interface RunningStack {
  /** JSON file describing the stack (StackInfo); pass it to tests as EDA_TEST_STACK. */
  envFile: string;
  stop(): Promise<void>;
}

export async function startStack(): Promise<RunningStack> {
  const versions = stackVersions();
  const bins = await ensureStackBinaries();
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'eda-stack-'));
  const children: ChildProcess[] = [];
  let watchdog: ChildProcess | undefined;
  let stopped = false;

  const killNow = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    watchdog?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    killNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onExit = (): void => {
    if (!stopped) killNow();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', onExit);

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
    // The API server first: it must not see etcd vanish mid-request and log noise.
    for (const c of [...children].reverse()) await stopProcess(c);
    watchdog?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const etcdLog = join(dir, 'etcd.log');
    const etcd = startProcess(
      bins.etcd,
      [
        '--name=eda',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=eda=http://127.0.0.1:${etcdPeer}`,
        // A throwaway store: durability buys nothing here and fsync dominates write latency.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      etcdLog,
    );
    children.push(etcd);

    // If this process dies without running its handlers (SIGKILL), the watchdog still removes the
    // servers and their temp dir, so no stray apiserver keeps ports and memory.
    watchdog = startWatchdog([etcd.pid!], dir, join(dir, 'apiserver.pid'));

    await waitUntil('etcd', etcd, etcdLog, 60_000, async () => {
      const r = await probe(`${etcdUrl}/health`);
      return r.status === 200 && r.body.includes('"health":"true"');
    });

    const tokens = Object.fromEntries(
      (Object.keys(USERS) as Identity[]).map((id) => [id, randomBytes(24).toString('hex')]),
    ) as Record<Identity, string>;
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(
      tokenFile,
      (Object.keys(USERS) as Identity[])
        .map((id) => {
          const u = USERS[id];
          return [
            tokens[id],
            u.user,
            `uid-${u.user}`,
            ...(u.groups.length ? [`"${u.groups.join(',')}"`] : []),
          ].join(',');
        })
        .join('\n') + '\n',
      { mode: 0o600 },
    );
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    writeFileSync(join(dir, 'sa.key'), privateKey, { mode: 0o600 });
    writeFileSync(join(dir, 'sa.pub'), publicKey);

    const certDir = join(dir, 'certs');
    const apiLog = join(dir, 'apiserver.log');
    const apiserver = startProcess(
      bins.apiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--cert-dir=${certDir}`,
        '--authorization-mode=RBAC',
        `--token-auth-file=${tokenFile}`,
        `--service-account-key-file=${join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-cluster-ip-range=10.96.0.0/24',
        // ServiceAccount admission waits for token controllers that do not run here.
        '--disable-admission-plugins=ServiceAccount',
        // Flow control adds startup work and queueing that a single-user test server does not need.
        '--enable-priority-and-fairness=false',
        // No controller-manager: the kubernetes Service endpoints need not be reconciled.
        '--endpoint-reconciler-type=none',
        '--profiling=false',
        '--v=1',
      ],
      apiLog,
    );
    children.push(apiserver);
    writeFileSync(join(dir, 'apiserver.pid'), String(apiserver.pid));
    const server = `https://127.0.0.1:${apiPort}`;
    await waitUntil(
      'kube-apiserver',
      apiserver,
      apiLog,
      180_000,
      async () => (await probe(`${server}/readyz`)).status === 200,
    );

    // The self-signed serving cert file holds the leaf and the CA that signed it; trusting the
    // file as a CA bundle verifies the chain without skipping TLS verification.
    const caFile = join(certDir, 'apiserver.crt');
    const namespace = 'epinio';
    const kubeconfigs = {
      admin: join(dir, 'kubeconfig-admin.yaml'),
      viewer: join(dir, 'kubeconfig-viewer.yaml'),
      usersOnly: join(dir, 'kubeconfig-users-only.yaml'),
      none: join(dir, 'kubeconfig-nobody.yaml'),
      operator: join(dir, 'kubeconfig-operator-two.yaml'),
    };
    for (const id of Object.keys(kubeconfigs) as Identity[]) {
      writeFileSync(kubeconfigs[id], kubeconfig(server, caFile, id, tokens[id], namespace), { mode: 0o600 });
    }

    const admin = kubeClient({
      server,
      token: tokens.admin,
      ca: readFileSync(caFile, 'utf8'),
      user: 'admin',
    });
    await createNamespace(admin, namespace);
    await installFixtures(admin, namespace);

    const version = (await admin.get<{ gitVersion: string }>('/version')).body.gitVersion;
    const info: StackInfo = {
      server,
      dir,
      kubeconfigs,
      caFile,
      tokens,
      users: Object.fromEntries(
        (Object.keys(USERS) as Identity[]).map((id) => [id, USERS[id].user]),
      ) as Record<Identity, string>,
      kubernetesVersion: version,
      etcdVersion: versions.etcd,
      ...(bins.kubectl && existsSync(bins.kubectl) ? { kubectl: bins.kubectl } : {}),
      namespace,
    };
    const envFile = join(dir, 'stack.json');
    writeFileSync(envFile, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    process.stderr.write(
      `test stack: kube-apiserver ${version} (etcd ${versions.etcd}) ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${server}\n`,
    );
    return { envFile, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
