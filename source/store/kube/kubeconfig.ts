// Loads a kubeconfig the way kubectl does: --kubeconfig, else KUBECONFIG (a path list, merged,
// first file wins per name), else ~/.kube/config, else the in-cluster service account. Unlike
// client-node's loadFromDefault it never falls back to http://localhost:8080: a tool that edits
// login secrets must not talk to whatever happens to listen there.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { StoreError } from '../errors.js';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const NO_KUBECONFIG_HINT =
  'point at one with --kubeconfig PATH, or set KUBECONFIG, or create ~/.kube/config (e.g. from your cluster provider)';

export interface LoadedKubeconfig {
  kc: KubeConfig;
  /** The files that were read (empty for in-cluster). */
  sources: string[];
  context: string;
  cluster: Cluster;
  /** The context's namespace, if it sets one. */
  namespace?: string;
}

export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  /** For tests: the environment and home directory to read instead of the process's. */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

type ClientNode = typeof import('./clientNode.js');

async function clientNode(): Promise<ClientNode> {
  // Dynamic: the CLI must start without loading client-node (it is large). Through clientNode.ts
  // so the bundle holds only KubeConfig and what it needs, not every generated API model.
  return import('./clientNode.js');
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Which files to read, in kubectl's order of precedence. undefined = none found (maybe in-cluster). */
function kubeconfigFiles(options: KubeconfigOptions): string[] | undefined {
  const env = options.env ?? process.env;
  if (options.kubeconfig !== undefined) {
    if (!isFile(options.kubeconfig)) {
      throw new StoreError(
        'NoKubeconfig',
        `no kubeconfig found: the file ${options.kubeconfig} (--kubeconfig) does not exist`,
        NO_KUBECONFIG_HINT,
      );
    }
    return [options.kubeconfig];
  }
  const list = env.KUBECONFIG;
  if (list) {
    const paths = list.split(delimiter).filter((p) => p !== '');
    // kubectl skips missing entries of the list; only all of them missing is an error.
    const present = paths.filter(isFile);
    if (!present.length) {
      throw new StoreError(
        'NoKubeconfig',
        `no kubeconfig found: none of the files in KUBECONFIG exist (${paths.join(delimiter)})`,
        NO_KUBECONFIG_HINT,
      );
    }
    return present;
  }
  const home = options.home ?? env.HOME ?? homedir();
  const file = join(home, '.kube', 'config');
  return isFile(file) ? [file] : undefined;
}

function inClusterAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(join(SA_DIR, 'token')),
  );
}

/** Reads and merges the kubeconfig files; no context is chosen yet. */
export async function readKubeconfig(
  options: KubeconfigOptions,
): Promise<{ kc: KubeConfig; sources: string[] }> {
  const k8s = await clientNode();
  const env = options.env ?? process.env;
  const files = kubeconfigFiles(options);
  if (!files) {
    if (inClusterAvailable(env)) {
      const kc = new k8s.KubeConfig();
      kc.loadFromCluster();
      return { kc, sources: [] };
    }
    throw new StoreError(
      'NoKubeconfig',
      'no kubeconfig found (no --kubeconfig, KUBECONFIG unset, no ~/.kube/config, not running in a cluster)',
      NO_KUBECONFIG_HINT,
    );
  }
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  let currentContext = '';
  for (const file of files) {
    const one = new k8s.KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (err) {
      throw new StoreError(
        'BadKubeconfig',
        `cannot read kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`,
        'fix the file or point at another one with --kubeconfig',
      );
    }
    // kubectl's merge rule: the first file that defines a name wins, and so does the first current-context.
    for (const c of one.clusters ?? []) if (!clusters.some((x) => x.name === c.name)) clusters.push(c);
    for (const u of one.users ?? []) if (!users.some((x) => x.name === u.name)) users.push(u);
    for (const c of one.contexts ?? []) if (!contexts.some((x) => x.name === c.name)) contexts.push(c);
    if (!currentContext && one.currentContext) currentContext = one.currentContext;
  }
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({ clusters, users, contexts, currentContext });
  return { kc, sources: files };
}

function contextList(kc: KubeConfig): string {
  const names = (kc.contexts ?? []).map((c) => c.name);
  return names.length ? names.join(', ') : '(none)';
}

/** Reads the kubeconfig and selects the context (--context, else current-context). */
export async function loadKubeconfig(options: KubeconfigOptions): Promise<LoadedKubeconfig> {
  const { kc, sources } = await readKubeconfig(options);
  const where = sources.length ? sources.join(delimiter) : 'in-cluster config';
  const name = options.context ?? kc.currentContext;
  if (!name) {
    throw new StoreError(
      'BadKubeconfig',
      `no current context in ${where}; available contexts: ${contextList(kc)}`,
      'choose one with --context NAME (or kubectl config use-context NAME)',
    );
  }
  const ctx = kc.getContextObject(name);
  if (!ctx) {
    throw new StoreError(
      'BadKubeconfig',
      `context "${name}" not found in ${where}; available contexts: ${contextList(kc)}`,
      'choose one of the available contexts with --context NAME',
    );
  }
  kc.setCurrentContext(name);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) {
    throw new StoreError(
      'BadKubeconfig',
      `context "${name}" refers to cluster "${ctx.cluster}", which is not defined in ${where}`,
      'fix the kubeconfig or choose another context with --context NAME',
    );
  }
  if (ctx.user && !kc.getUser(ctx.user)) {
    throw new StoreError(
      'BadKubeconfig',
      `context "${name}" refers to user "${ctx.user}", which is not defined in ${where}`,
      'fix the kubeconfig or choose another context with --context NAME',
    );
  }
  return { kc, sources, context: name, cluster, namespace: ctx.namespace || undefined };
}
