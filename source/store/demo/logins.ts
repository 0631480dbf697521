// The demo sandbox's logins: Dex RefreshToken and OfflineSessions objects as Dex's Kubernetes storage
// writes them, for a handful of identities across the demo's connectors, so the Logins screen and
// `logins list --demo` have something to show. The token values are fake, and still never shown.
const API_VERSION = 'dex.coreos.com/v1';

interface DemoLogin {
  id: string;
  connector: string;
  userID: string;
  username: string;
  email: string;
  groups: string[];
  client: string;
  created: string;
  used: string;
}

const LOGINS: DemoLogin[] = [
  {
    id: 'q4kx3yb2m7f4ylfr6n5z4h2k3a',
    connector: 'github',
    userID: '5501234',
    username: 'Jane Doe',
    email: 'jane.doe@example.com',
    groups: ['acme:developers'],
    client: 'epinio-cli',
    created: '2025-03-02T08:12:40Z',
    used: '2025-03-04T16:03:11Z',
  },
  {
    id: 'c7vp2hx5d3n6mq8rwa4jz9ekti',
    connector: 'github',
    userID: '5507788',
    username: 'Sam Newhire',
    email: 'sam.newhire@example.com',
    groups: ['acme:platform-admins', 'acme:developers'],
    client: 'epinio-ui',
    created: '2025-03-04T09:30:02Z',
    used: '2025-03-04T09:30:02Z',
  },
  {
    id: 'm2dz8fq4ry6tb3kx7wh5nc9jpe',
    connector: 'ldap',
    userID: 'alice',
    username: 'Alice Liddell',
    email: 'alice@example.com',
    groups: ['epinio-viewers'],
    client: 'epinio-cli',
    created: '2025-02-20T10:00:00Z',
    used: '2025-03-03T11:45:27Z',
  },
  {
    id: 'w9hs4kd2xq7mf5ty3pb8nz6lra',
    connector: 'ldap',
    userID: 'ops',
    username: 'Ops Team',
    email: 'ops@example.com',
    groups: ['epinio-admins', 'epinio-viewers'],
    client: 'epinio-ui',
    created: '2025-01-28T07:55:13Z',
    used: '2025-03-04T07:02:49Z',
  },
  {
    id: 'b5tr8mx3kq2wd7hy4fn6zc9jsa',
    connector: 'keycloak',
    userID: '0c6f4d1e-2b7a-4c55-9b1e-7d9b2f3a8e10',
    username: 'bob',
    email: 'bob@example.com',
    groups: ['/release-managers'],
    client: 'epinio-cli',
    created: '2025-02-11T13:20:00Z',
    used: '2025-02-27T15:10:33Z',
  },
  {
    id: 'k3ny7qd5wx2mr8fb4th6zs9jpc',
    connector: 'local',
    userID: '08a8684b-db88-4b73-90a9-3cd1661f5466',
    username: 'admin',
    email: 'admin@epinio.io',
    groups: [],
    client: 'epinio-ui',
    created: '2025-01-15T09:05:00Z',
    used: '2025-03-04T12:00:41Z',
  },
];

const fake = (what: string, id: string) => `demo-fake-${what}-${id}`;

export function demoLoginObjects(namespace: string): Record<string, unknown>[] {
  const tokens = LOGINS.map((l) => ({
    apiVersion: API_VERSION,
    kind: 'RefreshToken',
    metadata: { name: l.id, namespace },
    CreatedAt: l.created,
    LastUsed: l.used,
    clientID: l.client,
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups', 'federated:id'],
    token: fake('token', l.id),
    nonce: fake('nonce', l.id),
    claims: {
      userID: l.userID,
      username: l.username,
      preferredUsername: '',
      email: l.email,
      emailVerified: true,
      ...(l.groups.length ? { groups: l.groups } : {}),
    },
    connectorID: l.connector,
    connectorData: Buffer.from(fake('connector-data', l.id)).toString('base64'),
  }));
  const sessions = LOGINS.map((l) => ({
    apiVersion: API_VERSION,
    kind: 'OfflineSessions',
    metadata: { name: `os${l.id.slice(2)}`, namespace },
    userID: l.userID,
    connID: l.connector,
    refresh: { [l.client]: { ID: l.id, ClientID: l.client, CreatedAt: l.created, LastUsed: l.used } },
  }));
  return [...tokens, ...sessions];
}
