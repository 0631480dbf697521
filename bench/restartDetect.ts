// How soon `dex restart --wait` reports a new Dex pod that crashes on its config (issue 13: within
// 10 s of the first crash). The harness (test/stack/controllers.ts) plays the Deployment controller
// and kubelet with the real Dex as the container; the store polls at its default (1 s). Measured
// from the moment the harness wrote the terminated container status to the store's "failed".
import { openStore } from '../source/store/connect.js';
import type { KubeStore } from '../source/store/kube/kubeStore.js';
import { startHarness } from '../test/stack/controllers.js';
import { adminClient, createTestNamespace, getStackInfo } from '../test/stack/env.js';

const GOOD = `issuer: http://dex.bench.test/dex
storage: { type: memory }
enablePasswordDB: true
`;
const REJECTED = `${GOOD}expiry: { idTokens: "10 parsecs" }\n`;

/** Milliseconds from each run's first crash to the reported failure. */
export async function restartDetectionMs(runs: number): Promise<number[]> {
  const client = adminClient();
  const ns = await createTestNamespace('bench-restart', { fixtures: true });
  const secret = `/api/v1/namespaces/${ns}/secrets/dex-config`;
  await client.patch(secret, { stringData: { 'config.yaml': GOOD } });
  const harness = await startHarness(client, ns);
  const store = (await openStore({
    kubeconfig: getStackInfo().kubeconfigs.admin,
    namespace: ns,
    requestTimeoutMs: 10_000,
  })) as KubeStore;
  const out: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      await client.patch(secret, { stringData: { 'config.yaml': REJECTED } });
      let failedAt = 0;
      const r = await store.restartDex({
        wait: true,
        timeoutMs: 60_000,
        onProgress: (p) => {
          if (p.phase === 'failed' && !failedAt) failedAt = Date.now();
        },
      });
      const crash = harness.events.filter((e) => e.what === 'crash').at(-1);
      if (r.phase !== 'failed' || !crash) throw new Error(`run ${i}: ${r.phase}: ${r.message}`);
      out.push(failedAt - crash.at);
      await client.patch(secret, { stringData: { 'config.yaml': GOOD } });
      const back = await store.restartDex({ wait: true, timeoutMs: 60_000 });
      if (back.phase !== 'ready') throw new Error(`run ${i}: restoring: ${back.phase}: ${back.message}`);
    }
  } finally {
    await harness.stop();
  }
  return out;
}
