// The demo sandbox's content, built in code (the bundle has no data files): a realistic Epinio
// install with the chart's defaults (epinio-formats.md §2.2, §4.6, §6.2), three connectors with
// fake secrets, a modern rolesMapping, ~40 users and the pitfalls the tool should show: an
// OIDC-created user without a password, a duplicate username, a roles annotation with a stray space.
// Every secret here is fake. User passwords: `demo-password-<n>` (bcrypt cost 10, precomputed);
// the chart's `admin` and `epinio` users keep the chart default `password` (flagged as insecure).
import { stringify } from 'yaml';
import { demoLoginObjects } from './logins.js';

const CHART_DEFAULT_HASH = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W';
const UI_CLIENT_SECRET = 'Qm8xT4vZr2LcN7pWd3HsY6kJa9EfU1Gb';
const HELM_LABELS = { 'app.kubernetes.io/managed-by': 'Helm' };

function helmAnnotations(namespace: string): Record<string, string> {
  return { 'meta.helm.sh/release-name': 'epinio', 'meta.helm.sh/release-namespace': namespace };
}

const CONFIG_YAML = `issuer: https://auth.demo.example.com
storage:
  type: kubernetes
  config: { inCluster: true }
oauth2:
  skipApprovalScreen: true
enablePasswordDB: true
staticPasswords:
- email: "admin@epinio.io"
  hash: "${CHART_DEFAULT_HASH}"
  username: "admin"
  userID: "08a8684b-db88-4b73-90a9-3cd1661f5466"
- email: "epinio@epinio.io"
  hash: "${CHART_DEFAULT_HASH}"
  userID: "08a8684b-db88-4b73-90a9-3cd1661f5467"
staticClients:
- { id: epinio-api, name: 'Epinio API', public: true, trustedPeers: [epinio-cli, epinio-ui] }
- { id: epinio-cli, name: 'Epinio cli', public: true }
- id: epinio-ui
  name: 'Epinio UI'
  secret: "${UI_CLIENT_SECRET}"
  redirectURIs: ["https://epinio.demo.example.com/auth/verify/"]
connectors:
- type: github
  id: github
  name: "GitHub"
  config:
    clientID: "Ov23liDemoClient0001"
    clientSecret: "fake0github0client0secret0value0000000000"
    redirectURI: "https://auth.demo.example.com/callback"
    orgs:
    - name: "acme"
      teams: ["platform-admins", "developers"]
    teamNameField: "slug"
- type: ldap
  id: ldap
  name: "Corporate LDAP"
  config:
    host: "ldap.demo.example.com:636"
    bindDN: "cn=dex,ou=Services,dc=example,dc=com"
    bindPW: "fake-bind-password"
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
      nameAttr: "cn"
- type: oidc
  id: keycloak
  name: "Keycloak"
  config:
    issuer: "https://keycloak.demo.example.com/realms/acme"
    clientID: "epinio"
    clientSecret: "fake-keycloak-client-secret"
    redirectURI: "https://auth.demo.example.com/callback"
    insecureEnableGroups: true
    usePKCE: true
    scopes: ["openid", "profile", "email", "groups"]
`;

const ROLES_MAPPING = `# Who gets which Epinio role, per Dex connector (first entry per connector wins).
- connectorId: github
  groups:
  - id: "acme:platform-admins"
    roles: ["admin"]
  - id: "acme:developers"      # team slug, see teamNameField
    roles: ["application_developer", "admin:team-blue"]
- connectorId: ldap
  groups:
  - { id: "epinio-admins", roles: ["admin"] }
  - { id: "epinio-viewers", roles: ["view_only"] }
- connectorId: keycloak
  groups:
  - id: "/release-managers"
    roles: ["application_manager"]
  - id: "/ops"
    roles: ["system_manager", "user"]
- connectorId: local
  groups:
  - { id: "ops", roles: ["system_manager"] }
`;

/** [username, Secret name (server formula), roles annotation, namespaces, bcrypt hash]. */
const USERS: [string, string, string, string, string][] = [
  [
    'alice@example.com',
    'ruser-aliceexamplecom-89845524519b5466733d25ffda69a5fdfe11cbd4',
    'user',
    'team-blue',
    '$2b$10$XKHzHbbLCCORbjcqu/l6xOJlthOt3/wJiz9X2fpVqKntsN/Fcp1N.',
  ],
  [
    'bob@example.com',
    'ruser-bobexamplecom-5ae3bf0cea92ce6ab3e678de73fd911437c7d22b',
    'application_developer',
    'team-red',
    '$2b$10$14vw.QlF2j4GvXAn96BcOO8wRMFSld18xWl8WO9DwDvwd.jiF6d6q',
  ],
  [
    'carol@example.com',
    'ruser-carolexamplecom-0f59d1216870b8fdde15761e2176794a4c3075db',
    'view_only',
    '',
    '$2b$10$JcRTS2Rnaj9dBxwhm7CZu.JwW9jr5u7qCWlHuUT0hWwId6Zw7ms6i',
  ],
  [
    'dave@example.com',
    'ruser-daveexamplecom-c9e62c94aad6de90563d0291448eb9b046574de2',
    'application_manager',
    'team-blue',
    '$2b$10$FvF/NnKFeA0Zuw5UeFbFi.tfKW2GZcQhOoXQwAZwEd556.PfCC1Wy',
  ],
  [
    'erin@example.com',
    'ruser-erinexamplecom-69f1b28fe5bc62c346025a12697dd555cb398255',
    'system_manager',
    'team-red',
    '$2b$10$v8EDikEtSiT0AtxY1D3E3.oIuvgRV1/mFOas8uisdbVCnav0JcQ76',
  ],
  [
    'frank@example.com',
    'ruser-frankexamplecom-277651cd72d24766fac651d752621fc586cb53b0',
    'user,admin:team-blue',
    '',
    '$2b$10$ojP5dWOonNxxLDWIPD0bMeaj6sO/EwhUZRkXaZlE9DVHWzuNBj7zW',
  ],
  [
    'grace@example.com',
    'ruser-graceexamplecom-e2a295617de4e09f493cf57ed11eec2ec84ad652',
    'application_developer:team-red,user',
    'team-blue',
    '$2b$10$xhfbaD1JlHo2DYhiY6nYM.uNtB4Y5FHZKubIDKT8WLLyhqtCZpIjC',
  ],
  [
    'heidi@example.com',
    'ruser-heidiexamplecom-cfa52ffeb2df54766ea8b150f9e2f38d4b890ab0',
    'view_only',
    'team-red',
    '$2b$10$Z4AUN.8pvpBkW4qTT9fxX.eA62LzKIoOj21pZKf73YwCpd3uqW/ZO',
  ],
  [
    'ivan@example.com',
    'ruser-ivanexamplecom-ef2834761051c1e03a987587452dd859bfa26b8e',
    'user',
    '',
    '$2b$10$038KdOLX77zgz399TVrC/um1XcJ/oPBs1BYIr6CCnuGMVNSH83ZIG',
  ],
  [
    'judy@example.com',
    'ruser-judyexamplecom-568243edb671ac10829aa9e62d76878b9fb0da70',
    'application_developer',
    'team-blue',
    '$2b$10$ahD/B1aqSOmzxpGADa108.V3gORLLVp8PJu7A0KnGwmzAcPS4C9qG',
  ],
  [
    'mallory@example.com',
    'ruser-malloryexamplecom-f6e38eafe127086ee9b653d2f9f15ee83e98cfa9',
    'view_only',
    'team-red',
    '$2b$10$muf3aYNlT8M5G6K4xoSty.oj06UsOB6jflqiXRrvP1HFiTxJdtIQm',
  ],
  [
    'niaj@example.com',
    'ruser-niajexamplecom-f78b7d7f25cfe2a61977101888cd9cfb1d6e7539',
    'application_manager',
    '',
    '$2b$10$ise0Z0MXTWmKRSTnAYahdOIQe.l.FFbx0K6jtv82Q10jlJOzON/OK',
  ],
  [
    'olivia@example.com',
    'ruser-oliviaexamplecom-1a54a849569fd2af0adf70c94d611ab3afb99e24',
    'system_manager',
    'team-blue',
    '$2b$10$b5GEwbc8KYBFJB6mrUs/OOhHu/Jb/qucJiMXx5fmb6gQkr.j3zWN.',
  ],
  [
    'peggy@example.com',
    'ruser-peggyexamplecom-45fae912060bcdb81912ff6bb90645deac4a309e',
    'user,admin:team-blue',
    'team-red',
    '$2b$10$1xYQ1AGOnOn9k4v9Mbg3c.6Tf0xo2bx7MWZHh/CR13zY3dQKBqrdq',
  ],
  [
    'rupert@example.com',
    'ruser-rupertexamplecom-1e968dfc176eb3f11ae66a7eab9e7791179dc6ed',
    'application_developer:team-red,user',
    '',
    '$2b$10$luiYjd2ZgA0K14djo7aTH.JMM9VFeSsmzsKzwHZwv0cCPnFefOW8K',
  ],
  [
    'sybil@example.com',
    'ruser-sybilexamplecom-7d1f3934406db6b8addd7d5514fb0213e084fe70',
    'view_only',
    'team-blue',
    '$2b$10$Yqo.SQV/bZ65CrZLDYzSVuWWA/rHlAbpta1CpTkoVrfkuAgdsLFy6',
  ],
  [
    'trent@example.com',
    'ruser-trentexamplecom-7c67db701f5707d129e5d66ce9ab22e49d084e12',
    'user',
    'team-red',
    '$2b$10$7lnKeEDiDgUGmV/FF4NBYuJ2JBi4vF54v45P3gyFAmd/7h8.e3wlW',
  ],
  [
    'victor@example.com',
    'ruser-victorexamplecom-d80f261fdcf87790056fc07c758ee41d27cf8bd6',
    'application_developer',
    '',
    '$2b$10$Obm4CYi2vBHmG03foqQDIupt/vPTMF8FQtclon5pLKmBxy9ftf5fO',
  ],
  [
    'walter@example.com',
    'ruser-walterexamplecom-08f13ce1138e81cb634870e74dc8db1f1249cfb7',
    'view_only',
    'team-blue',
    '$2b$10$xpz8uS6SlLBrsVgaxCbphuNjklMHm4U5xiPgwLawOi9DgIrrk.rD6',
  ],
  [
    'yvonne@example.com',
    'ruser-yvonneexamplecom-dc1341a4e24ff062c23a2d2ef63af36bbf47ad99',
    'application_manager',
    'team-red',
    '$2b$10$BKM8hHhMhmsCw5wmS48ARuc0CcmBEKT8yXnteKRMCrkWXbM4uYZRW',
  ],
  [
    'zoe@example.com',
    'ruser-zoeexamplecom-cea8b2c856e4a2f737ac52fbbe5a57e314f6fdc6',
    'system_manager',
    '',
    '$2b$10$Q3U3KtmsSFPe2Y6LVJk9d.PYwxKsf3rYhVXWIdSl7hKpQ/wYcAhsG',
  ],
  [
    'amir@example.com',
    'ruser-amirexamplecom-d8a9c748d81934ad84e8328675a5b14efb2df578',
    'user,admin:team-blue',
    'team-blue',
    '$2b$10$ZG7lJqd4rfKVhnGfyVsJLusogsD8/oto4xv1rJZ3JAmcD.DsvGrQK',
  ],
  [
    'bea@example.com',
    'ruser-beaexamplecom-d9b84bb5f426a09066cb0e6673d827581ffd8dc1',
    'application_developer:team-red,user',
    'team-red',
    '$2b$10$2nt7ox.il2.55YKFfNfbd.mOUYejeRzY.O/B9YX7.KFPvO4ZM80qO',
  ],
  [
    'chen@example.com',
    'ruser-chenexamplecom-59daea0306d769fc08e441210e726cc02aef7e5a',
    'view_only',
    '',
    '$2b$10$0VgXE1cTKvARim2XNT2a9upJLVn2cQD7IDqTpRrjVboVwhDfaq/4i',
  ],
  [
    'dmitri@example.com',
    'ruser-dmitriexamplecom-41d2269aac7f0afdb6fc0664c7df0a0fa7c2d3c1',
    'user',
    'team-blue',
    '$2b$10$42OyiUI316xguSbO51Dtdu5dAx0ngieNXrauqsEErmHgtBesL2uea',
  ],
  [
    'elena@example.com',
    'ruser-elenaexamplecom-df77022e02dac13df442116ab625ddd81c462679',
    'application_developer',
    'team-red',
    '$2b$10$gySpOw5ntpgLsAvOAuej/Ow.BNw/dvv2jNEPS1FxDyEUUce41chXS',
  ],
  [
    'farid@example.com',
    'ruser-faridexamplecom-8fb6a3b8e46691fb5ebb73c6f450e16d72bed719',
    'view_only',
    '',
    '$2b$10$Cnh9Z2HVIveCytpKxB76U.nGPbDtnaNdE.RMoMT9pM/0FRHiMzNiC',
  ],
  [
    'gita@example.com',
    'ruser-gitaexamplecom-98925b0d0f9d7cf8d101d3e0a94050c7aabbc154',
    'application_manager',
    'team-blue',
    '$2b$10$BqxG4eCh7FaFlkKvO9gq9OF/wJ5F6vpE.0X/GM6KwVsUT9ujxNeE2',
  ],
  [
    'hana@example.com',
    'ruser-hanaexamplecom-b5f4339a6207a85fa7f802a96b2bde7a4cd01f1a',
    'system_manager',
    'team-red',
    '$2b$10$sMRfh7Fbw95K2sRY8GgGs.2wYOMI0jK4WvXHWBVkj2PBRehwQiYUG',
  ],
  [
    'igor@example.com',
    'ruser-igorexamplecom-0fed7d892ab76499e1fdcb3cd557a9e5fd7c6392',
    'user,admin:team-blue',
    '',
    '$2b$10$dSPoEUBHg0I1/Mx9JDKqpe4YwB8QjR6xCmFtlzdmrGDjF6czJs7ze',
  ],
];

const OPS_HASH = '$2b$10$ny8Ocw8g.rCVHRdiVhgPzOImUhIEHvwJ0jOEqyf1ZUkYy3PDSfPn.';
const DUP_HASH_1 = '$2b$10$IDlHzlAS6TtH2j9qQCKPHO5pw4u9JDoZjryqkK9MlpVBBgapBtYO2';
const DUP_HASH_2 = '$2b$10$y5/T3lqlkeSI3rcS/rkxPuE./XwOvuFlilcjv.JpIdzbMFFxT3VES';
const SPACEY_HASH = '$2b$10$rOxKxAdkKtriHkfYX6KJHeXymQsGotm6JFWTrqyzvpnH1t5JEr9JW';

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

function userSecret(
  namespace: string,
  name: string,
  username: string,
  roles: string,
  namespaces: string,
  hash: string | undefined,
  extra: { type?: string; helm?: boolean } = {},
): Record<string, unknown> {
  const data: Record<string, string> = { username: b64(username) };
  if (hash) data.password = b64(hash);
  data.namespaces = b64(namespaces);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: extra.type ?? 'Opaque',
    metadata: {
      name,
      namespace,
      labels: { 'epinio.io/api-user-credentials': 'true', ...(extra.helm ? HELM_LABELS : {}) },
      annotations: { 'epinio.io/roles': roles, ...(extra.helm ? helmAnnotations(namespace) : {}) },
    },
    data,
  };
}

function role(
  namespace: string,
  name: string,
  id: string,
  title: string,
  def: string | undefined,
  actions: string[],
): Record<string, unknown> {
  const data: Record<string, string> = { id, name: title };
  if (def !== undefined) data.default = def;
  data.actions = actions.length ? actions.join('\n') + '\n' : '';
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace,
      labels: { 'epinio.io/role': 'true', ...HELM_LABELS },
      annotations: helmAnnotations(namespace),
      creationTimestamp: '2025-01-15T09:00:00Z',
    },
    data,
  };
}

export function demoObjects(namespace = 'epinio'): Record<string, unknown>[] {
  const dex = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: 'dex-config', namespace, labels: HELM_LABELS, annotations: helmAnnotations(namespace) },
    stringData: {
      issuer: 'https://auth.demo.example.com',
      endpoint: `http://dex.${namespace}.svc.cluster.local:5556`,
      uiClientSecret: UI_CLIENT_SECRET,
      'config.yaml': CONFIG_YAML,
      rolesMapping: ROLES_MAPPING,
    },
  };
  const roles = [
    role(namespace, 'epinio-user-role', 'user', 'User Role', 'true', [
      'namespace_write',
      'app_read',
      'configuration_read',
      'service_read',
      'gitconfig_read',
      'export_registries_read',
    ]),
    role(namespace, 'epinio-blank-role', 'blank', 'Blank Role', undefined, []),
    role(
      namespace,
      'epinio-role-application-manager',
      'application_manager',
      'Application Manager',
      'false',
      ['namespace_read', 'app', 'configuration', 'service_read', 'gitconfig_read'],
    ),
    role(
      namespace,
      'epinio-role-application-developer',
      'application_developer',
      'Application Developer',
      'false',
      [
        'namespace_read',
        'app_read',
        'app_logs',
        'app_stage',
        'app_deploy',
        'configuration_read',
        'service_read',
      ],
    ),
    role(namespace, 'epinio-role-view-only', 'view_only', 'View Only', 'false', [
      'namespace_read',
      'app_read',
      'configuration_read',
      'service_read',
      'gitconfig_read',
    ]),
    role(namespace, 'epinio-role-system-manager', 'system_manager', 'System Manager', 'false', [
      'namespace_read',
      'namespace_write',
      'app',
      'configuration',
      'service',
      'gitconfig',
      'export_registries_read',
    ]),
  ];
  const users = [
    // The chart's users (§4.6): BasicAuth, Helm-managed, default password.
    userSecret(
      namespace,
      'ruser-admin-f585ef20266ee6e88d327c03c1c1b77d4fef6340',
      'admin',
      'admin',
      '',
      CHART_DEFAULT_HASH,
      { type: 'BasicAuth', helm: true },
    ),
    userSecret(
      namespace,
      'ruser-epinio-4b0039dd419d28763eeb5c8c56b84c011a73aa4d',
      'epinio',
      'user,admin:workspace',
      'workspace',
      CHART_DEFAULT_HASH,
      { type: 'BasicAuth', helm: true },
    ),
    userSecret(
      namespace,
      'ruser-adminepinioio-9341763ee7dcbce070e7c14f246ec8291e9a7278',
      'admin@epinio.io',
      'admin',
      '',
      undefined,
      { helm: true },
    ),
    // Created by the server at the first OIDC request: no password key (§4.5).
    userSecret(
      namespace,
      'ruser-janedoeexamplecom-3d0829e1983f97eda300ea9c038956c7d7080966',
      'jane.doe@example.com',
      'admin:team-blue,application_developer',
      'team-blue',
      undefined,
    ),
    userSecret(
      namespace,
      'ruser-opsexamplecom-07af648d167b54fafea301c0c796cf760a9fccaf',
      'ops@example.com',
      'system_manager',
      '',
      OPS_HASH,
    ),
    // The same username twice: Epinio rejects this user (§4.4).
    userSecret(
      namespace,
      'ruser-dupexamplecom-719840582eb7a46ce49e73572e67449d22fdd191',
      'dup@example.com',
      'user',
      '',
      DUP_HASH_1,
    ),
    userSecret(namespace, 'my-epinio-user', 'dup@example.com', 'admin', '', DUP_HASH_2),
    // A stray space: Epinio reads " user", an unknown role (§4.2).
    userSecret(
      namespace,
      'ruser-spaceyexamplecom-d4ebcc7725e1a2a446b6ec986b8ba43518f6de96',
      'spacey@example.com',
      'admin, user',
      '',
      SPACEY_HASH,
    ),
    ...USERS.map(([username, name, rolesValue, ns, hash]) =>
      userSecret(namespace, name, username, rolesValue, ns, hash),
    ),
  ];
  return [dex, ...roles, ...users, ...demoLoginObjects(namespace)];
}

/** The manifest text the demo copies to its temp file: like `kubectl get -o yaml`, one List. */
export function demoManifest(namespace = 'epinio'): string {
  const header =
    '# epinio-dex-admin demo sandbox: a copy you can edit freely; nothing here touches a cluster.\n';
  return (
    header + stringify({ apiVersion: 'v1', kind: 'List', items: demoObjects(namespace) }, { lineWidth: 0 })
  );
}
