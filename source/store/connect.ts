// Chooses the store from the global options: --demo, --file PATH, else the cluster from the
// kubeconfig. The cluster code (and @kubernetes/client-node) is imported only when needed, so
// `--help`, file and demo modes start fast.
import type { ConnectOptions, ContextInfo, Store } from './types.js';

export type { ConnectOptions, ContextInfo } from './types.js';

export async function openStore(options: ConnectOptions): Promise<Store> {
  if (options.demo) {
    const { createDemoStore } = await import('./demo/demo.js');
    return createDemoStore({ namespace: options.namespace, readOnly: options.readOnly });
  }
  if (options.file !== undefined) {
    const { createFileStore } = await import('./file/fileStore.js');
    return createFileStore(options.file, { namespace: options.namespace, readOnly: options.readOnly });
  }
  const { createKubeStore } = await import('./kube/kubeStore.js');
  return createKubeStore(options);
}

export async function listContexts(options: { kubeconfig?: string }): Promise<ContextInfo[]> {
  const { readKubeconfig } = await import('./kube/kubeconfig.js');
  const { kc } = await readKubeconfig({ kubeconfig: options.kubeconfig });
  return (kc.contexts ?? []).map((c) => {
    const info: ContextInfo = { name: c.name, cluster: c.cluster, current: c.name === kc.currentContext };
    const server = kc.getCluster(c.cluster)?.server;
    if (server) info.server = server;
    if (c.namespace) info.namespace = c.namespace;
    return info;
  });
}
