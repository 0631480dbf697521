// The harness plays `helm upgrade` (the stack runs no Helm): what Helm's 3-way merge does to
// dex-config, writing the chart's data and Helm's marks and keeping annotations it does not own
// (the tool's stamp stays; the data under it changes).
import assert from 'node:assert/strict';
import { adminClient } from '../../stack/env.js';

export async function helmRender(ns: string, config: string, chart: string): Promise<void> {
  const res = await adminClient().patch(`/api/v1/namespaces/${ns}/secrets/dex-config`, {
    metadata: {
      labels: { 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': chart },
      annotations: { 'meta.helm.sh/release-name': 'epinio', 'meta.helm.sh/release-namespace': ns },
    },
    data: { 'config.yaml': Buffer.from(config).toString('base64') },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** A connector the operator adds by hand, which the chart knows nothing about. */
export const HAND = {
  op: 'connector.add' as const,
  connector: {
    type: 'gitlab',
    id: 'hand',
    name: 'Added by hand',
    config: {
      clientID: 'hand-client',
      clientSecret: 'hand0secret0value0never0shown',
      redirectURI: 'https://auth.example.com/callback',
    },
  },
};
