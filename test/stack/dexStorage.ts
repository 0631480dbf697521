// Dex's Kubernetes storage objects written by a test itself (the canary test, the benchmark): the
// two custom resource definitions as Dex creates them (storage/kubernetes/types.go: group
// dex.coreos.com, v1, namespaced, unknown fields preserved), and RefreshToken / OfflineSessions
// objects in the shape Dex writes them. Where a suite needs no login, this is faster than Dex and
// lets it plant exact values; logins.test.ts has the real Dex create them.
import type { KubeClient } from './http.js';

const GROUP = 'dex.coreos.com';
const KINDS = [
  { plural: 'refreshtokens', singular: 'refreshtoken', kind: 'RefreshToken' },
  { plural: 'offlinesessionses', singular: 'offlinesessions', kind: 'OfflineSessions' },
];

/** Creates the two definitions when absent (the API server is shared: Dex may have made them). */
export async function ensureDexCrds(client: KubeClient): Promise<void> {
  for (const k of KINDS) {
    const name = `${k.plural}.${GROUP}`;
    const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions`;
    const got = await client.get(`${path}/${name}`);
    if (got.status === 404) {
      const res = await client.post(path, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name },
        spec: {
          group: GROUP,
          scope: 'Namespaced',
          names: { plural: k.plural, singular: k.singular, kind: k.kind },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      });
      if (res.status !== 201 && res.status !== 409)
        throw new Error(`creating CRD ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  // Established, and the resource served (a fresh CRD answers 429 "storage is (re)initializing").
  for (let i = 0; i < 100; i++) {
    const ready = await Promise.all(
      KINDS.map(async (k) => (await client.get(`/apis/${GROUP}/v1/${k.plural}?limit=1`)).status === 200),
    );
    if (ready.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the dex.coreos.com custom resources were not served within 20 s');
}

export interface PlantedLogin {
  name: string;
  connectorId: string;
  userId: string;
  username: string;
  email: string;
  groups: string[];
  clientId?: string;
  /** The secret fields, as Dex stores them (connectorData base64, as Go encodes []byte). */
  token: string;
  obsoleteToken?: string;
  nonce?: string;
  connectorData?: string;
  lastUsed?: string;
}

export function refreshTokenObject(namespace: string, l: PlantedLogin): Record<string, unknown> {
  const now = l.lastUsed ?? new Date().toISOString();
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'RefreshToken',
    metadata: { name: l.name, namespace },
    CreatedAt: now,
    LastUsed: now,
    clientID: l.clientId ?? 'epinio-cli',
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups', 'federated:id'],
    token: l.token,
    ...(l.obsoleteToken ? { obsoleteToken: l.obsoleteToken } : {}),
    ...(l.nonce ? { nonce: l.nonce } : {}),
    claims: {
      userID: l.userId,
      username: l.username,
      preferredUsername: '',
      email: l.email,
      emailVerified: true,
      ...(l.groups.length ? { groups: l.groups } : {}),
    },
    connectorID: l.connectorId,
    ...(l.connectorData ? { connectorData: Buffer.from(l.connectorData).toString('base64') } : {}),
  };
}

export function offlineSessionsObject(
  namespace: string,
  l: PlantedLogin,
  connectorData?: string,
): Record<string, unknown> {
  const now = l.lastUsed ?? new Date().toISOString();
  const client = l.clientId ?? 'epinio-cli';
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'OfflineSessions',
    metadata: { name: `os-${l.name}`, namespace },
    userID: l.userId,
    connID: l.connectorId,
    refresh: { [client]: { ID: l.name, ClientID: client, CreatedAt: now, LastUsed: now } },
    ...(connectorData ? { connectorData: Buffer.from(connectorData).toString('base64') } : {}),
  };
}

/** POSTs objects `parallel` at a time; throws on the first failure. */
export async function createAll(
  client: KubeClient,
  namespace: string,
  plural: 'refreshtokens' | 'offlinesessionses',
  objects: Record<string, unknown>[],
  parallel = 32,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const o = objects[next++]!;
      const res = await client.post(`/apis/${GROUP}/v1/namespaces/${namespace}/${plural}`, o);
      if (res.status !== 201)
        throw new Error(`creating ${plural}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
