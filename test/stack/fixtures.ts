// The objects an Epinio install has in its namespace, as the chart and the server write them
// (shared/docs/epinio-formats.md §2.4, §4.7, §4.8, §6.2). The bcrypt hashes were generated with Go's
// golang.org/x/crypto/bcrypt (not with this project's code), for the passwords listed next to them.
import { createHash } from 'node:crypto';
import { expectOk, type KubeClient } from './http.js';

/** Epinio's server formula for user Secret names (epinio-formats.md §4.3), written out here on
 *  purpose instead of importing the domain code under test. */
export function epinioServerSecretName(username: string): string {
  const s = `user-${username}`;
  const sha1 = createHash('sha1').update(s).digest('hex');
  const sanitized = s
    .replace(/^[0-9]+/, '')
    .replace(/_/g, '-')
    .toLowerCase()
    .replace(/[^-a-z0-9]/g, '')
    .replace(/^-+|-+$/g, '');
  return `r${sanitized.slice(0, 22)}-${sha1}`;
}

export interface FixtureUser {
  username: string;
  /** Plain-text password behind `hash`, or undefined for an OIDC-created user without one. */
  password?: string;
  hash?: string;
  secretName: string;
  roles: string;
  namespaces: string[];
  type: 'Opaque' | 'BasicAuth';
  helm: boolean;
}

export const fixtureUsers: readonly FixtureUser[] = [
  {
    // The chart's `admin` user (api.users), BasicAuth, Helm-managed.
    username: 'admin',
    password: 'password',
    hash: '$2a$10$7ov2kPV2hhs0RCJUomwKpObGkBLlMQxVKn5xGo1xByeXzeFvcdEOO',
    secretName: epinioServerSecretName('admin'),
    roles: 'admin',
    namespaces: [],
    type: 'BasicAuth',
    helm: true,
  },
  {
    // The chart's `epinio` user: scoped role and a namespace.
    username: 'epinio',
    password: 'dev-pass-1234',
    hash: '$2a$10$zlXP8W4Vmn5DFVWiCCK.MuLp0fyQWYxHxucUaiZpdrIuu4Tq3H7vi',
    secretName: epinioServerSecretName('epinio'),
    roles: 'user,admin:workspace',
    namespaces: ['workspace'],
    type: 'BasicAuth',
    helm: true,
  },
  {
    // Created by hand (kubectl), cost 12.
    username: 'ops@example.com',
    password: 's3cret-Ops-2024',
    hash: '$2a$12$d/LZZwlvNSbpg2JaU./H4e5FgcTZA6hmR7x/AVNKB0Nscqa.lBpWa',
    secretName: epinioServerSecretName('ops@example.com'),
    roles: 'system_manager',
    namespaces: [],
    type: 'Opaque',
    helm: false,
  },
  {
    // Auto-created by the server at the first OIDC request: no password key (§4.7).
    username: 'jane.doe@example.com',
    secretName: epinioServerSecretName('jane.doe@example.com'),
    roles: 'admin:team-blue,application_developer',
    namespaces: ['team-blue'],
    type: 'Opaque',
    helm: false,
  },
];

/** Password of the two Dex static users below. */
export const STATIC_PASSWORD = 'password';
const STATIC_HASH = '$2a$10$v5fRDTF7tfVPeCO95IHSQOgkkSQqsRda1PoMNmQYeaoNH4PszHJqG';

export const UI_CLIENT_SECRET = 'Qm8xT4vZr2LcN7pWd3HsY6kJa9EfU1Gb';
export const ISSUER = 'https://auth.example.com';
export const ENDPOINT = 'http://dex.epinio.svc.cluster.local:5556';

export const DEX_CONFIG_YAML = `issuer: ${ISSUER}
storage: { type: kubernetes, config: { inCluster: true } }
oauth2: { skipApprovalScreen: true }
enablePasswordDB: true
staticPasswords:
- email: "admin@epinio.io"
  hash: "${STATIC_HASH}"
  username: "admin"
  userID: "08a8684b-db88-4b73-90a9-3cd1661f5466"
- email: "ops@example.com"
  hash: "${STATIC_HASH}"
  username: "ops"
  userID: "5d1c0c1e-3f5e-4a51-9d0b-7f3e2c6a9b10"
  groups: ["ops"]
staticClients:
- { id: epinio-api, name: 'Epinio API', public: true, trustedPeers: [epinio-cli, epinio-ui] }
- { id: epinio-cli, name: 'Epinio cli', public: true }
- id: epinio-ui
  name: 'Epinio UI'
  secret: "${UI_CLIENT_SECRET}"
  redirectURIs: ["https://epinio.example.com/auth/verify/"]
connectors:
- type: github
  id: github
  name: "GitHub"
  config:
    clientID: "Ov23liExampleClient01"
    clientSecret: "fake0github0client0secret0value0000000000"
    redirectURI: "${ISSUER}/callback"
    orgs:
    - name: "acme"                      # must equal the org login exactly
      teams: ["platform-admins", "developers"]
    teamNameField: "slug"               # groups: "acme:platform-admins", "acme:developers"
- type: ldap
  id: ldap
  name: "Corporate LDAP"
  config:
    host: "ldap.example.com:636"
    insecureSkipVerify: true
    bindDN: "cn=dex,ou=Services,dc=example,dc=com"
    bindPW: "fake-bind-password"        # a '$' here would be eaten by env expansion
    userSearch:
      baseDN: "ou=People,dc=example,dc=com"
      filter: "(objectClass=person)"
      username: "uid"
      idAttr: "uid"
      emailAttr: "mail"
      nameAttr: "cn"
    groupSearch:
      baseDN: "ou=Groups,dc=example,dc=com"
      filter: "(objectClass=groupOfNames)"
      userMatchers: [{ userAttr: "DN", groupAttr: "member" }]
      nameAttr: "cn"                    # groups: "epinio-admins", "epinio-viewers"
`;

export const ROLES_MAPPING_YAML = `# Who gets which Epinio role, per Dex connector (Epinio >= 1.11 list form).
- connectorId: github
  groups:
  # platform team: full access
  - id: "acme:platform-admins"
    roles: ["admin"]
  - id: "acme:developers"
    roles: ["application_developer", "admin:team-blue"]   # scoped admin in team-blue
- connectorId: ldap
  groups:
  - { id: "epinio-admins", roles: ["admin"] }
  - { id: "epinio-viewers", roles: ["view_only"] }
# Dex static users (password DB)
- connectorId: local
  groups:
  - { id: "ops", roles: ["system_manager"] }
`;

/** Role ConfigMaps shipped by the chart (§6.2); the four RBAC roles still list the stale `namespace_read`. */
export const fixtureRoles: readonly {
  configMap: string;
  id: string;
  name: string;
  default?: string;
  actions: string[];
}[] = [
  {
    configMap: 'epinio-user-role',
    id: 'user',
    name: 'User',
    default: 'true',
    actions: [
      'namespace_write',
      'app_read',
      'configuration_read',
      'service_read',
      'gitconfig_read',
      'export_registries_read',
    ],
  },
  { configMap: 'epinio-blank-role', id: 'blank', name: 'Blank', actions: [] },
  {
    configMap: 'epinio-role-application-manager',
    id: 'application_manager',
    name: 'Application Manager',
    default: 'false',
    actions: ['namespace_read', 'namespace_write', 'app', 'configuration', 'service', 'gitconfig_read'],
  },
  {
    configMap: 'epinio-role-application-developer',
    id: 'application_developer',
    name: 'Application Developer',
    default: 'false',
    actions: ['namespace_read', 'app', 'configuration', 'service_read', 'gitconfig_read'],
  },
  {
    configMap: 'epinio-role-view-only',
    id: 'view_only',
    name: 'View Only',
    default: 'false',
    actions: ['namespace_read', 'app_read', 'configuration_read', 'service_read', 'gitconfig_read'],
  },
  {
    configMap: 'epinio-role-system-manager',
    id: 'system_manager',
    name: 'System Manager',
    default: 'false',
    actions: [
      'namespace_read',
      'namespace_write',
      'app',
      'configuration',
      'service',
      'gitconfig',
      'export_registries_read',
    ],
  },
];

export const DEX_IMAGE = 'ghcr.io/epinio/dex:v2.45.1-epinio-pkce';
export const EPINIO_IMAGE = 'ghcr.io/epinio/epinio-server:v1.14.1';

const HELM_LABELS = { 'app.kubernetes.io/managed-by': 'Helm' };
const helmAnnotations = (ns: string): Record<string, string> => ({
  'meta.helm.sh/release-name': 'epinio',
  'meta.helm.sh/release-namespace': ns,
});

function deployment(ns: string, name: string, image: string, podLabels: Record<string, string>): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ns,
      labels: { ...HELM_LABELS, ...podLabels },
      annotations: helmAnnotations(ns),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels },
        spec: { containers: [{ name: name === 'dex' ? 'dex' : 'epinio-server', image }] },
      },
    },
  };
}

/** Names of the Secrets `users-only` may change (RBAC cannot exclude `dex-config`, so it lists these). */
export const USERS_ONLY_WRITABLE = fixtureUsers.map((u) => u.secretName);

/** Creates every fixture object in `ns` (which must exist), as the given (admin) client. */
export async function installFixtures(client: KubeClient, ns: string): Promise<void> {
  const core = `/api/v1/namespaces/${ns}`;
  const create = async (path: string, body: unknown, what: string): Promise<void> => {
    expectOk(await client.post(path, body), `creating ${what} in ${ns}`);
  };

  await create(
    `${core}/secrets`,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'dex-config', namespace: ns, labels: HELM_LABELS, annotations: helmAnnotations(ns) },
      stringData: {
        issuer: ISSUER,
        endpoint: ENDPOINT,
        uiClientSecret: UI_CLIENT_SECRET,
        'config.yaml': DEX_CONFIG_YAML,
        rolesMapping: ROLES_MAPPING_YAML,
      },
    },
    'secret dex-config',
  );

  for (const role of fixtureRoles) {
    const data: Record<string, string> = {
      id: role.id,
      name: role.name,
      actions: role.actions.map((a) => `${a}\n`).join(''),
    };
    if (role.default !== undefined) data.default = role.default;
    await create(
      `${core}/configmaps`,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: role.configMap,
          namespace: ns,
          labels: { 'epinio.io/role': 'true', ...HELM_LABELS },
          annotations: helmAnnotations(ns),
        },
        data,
      },
      `configmap ${role.configMap}`,
    );
  }

  for (const u of fixtureUsers) {
    const stringData: Record<string, string> = {
      username: u.username,
      namespaces: u.namespaces.map((n) => `${n}\n`).join(''),
      gitconfigs: '',
    };
    if (u.hash) stringData.password = u.hash;
    await create(
      `${core}/secrets`,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: u.type,
        metadata: {
          name: u.secretName,
          namespace: ns,
          labels: { 'epinio.io/api-user-credentials': 'true', ...(u.helm ? HELM_LABELS : {}) },
          annotations: { 'epinio.io/roles': u.roles, ...(u.helm ? helmAnnotations(ns) : {}) },
        },
        stringData,
      },
      `user secret ${u.username}`,
    );
  }

  const apps = `/apis/apps/v1/namespaces/${ns}/deployments`;
  await create(
    apps,
    deployment(ns, 'dex', DEX_IMAGE, {
      'app.kubernetes.io/name': 'dex',
      'app.kubernetes.io/instance': 'epinio',
    }),
    'deployment dex',
  );
  await create(
    apps,
    deployment(ns, 'epinio-server', EPINIO_IMAGE, {
      'app.kubernetes.io/component': 'epinio-server',
      'app.kubernetes.io/name': 'epinio-server',
    }),
    'deployment epinio-server',
  );

  await installRbac(client, ns);
}

/** Namespaced RBAC for the non-admin identities of the stack's token file. */
export async function installRbac(client: KubeClient, ns: string): Promise<void> {
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
  const roles: { name: string; user: string; rules: unknown[] }[] = [
    {
      name: 'eda-viewer',
      user: 'viewer',
      rules: [
        { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      name: 'eda-users-only',
      user: 'users-only',
      rules: [
        { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
        // RBAC cannot say "every Secret but dex-config", so writes are granted by name to the
        // fixture users, and create (which has no name at authorization time) on its own.
        {
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: USERS_ONLY_WRITABLE,
          verbs: ['patch', 'update', 'delete'],
        },
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      ],
    },
  ];
  for (const r of roles) {
    expectOk(
      await client.post(`${rbac}/roles`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: r.name, namespace: ns },
        rules: r.rules,
      }),
      `creating role ${r.name} in ${ns}`,
    );
    expectOk(
      await client.post(`${rbac}/rolebindings`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: r.name, namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: r.name },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: r.user }],
      }),
      `creating rolebinding ${r.name} in ${ns}`,
    );
  }
}

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  expectOk(
    await client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
    `creating namespace ${name}`,
  );
}
