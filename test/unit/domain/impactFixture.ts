// A small Epinio install for the impact tests: GitHub + LDAP + the Dex password DB, a modern
// mapping in which only "acme:admins" grants admin, and the logins Dex recorded.
import { CONFIG_KEY, MAPPING_KEY } from '../../../source/domain/names.js';
import type { ConfigMapObject, Login, SecretObject, Snapshot } from '../../../source/domain/objects.js';

export const CONFIG = `issuer: https://dex.example.com
storage:
  type: kubernetes
  config:
    inCluster: true
enablePasswordDB: true
staticPasswords:
- email: "admin@epinio.io"
  hash: "$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W"
  username: "admin"
  userID: "08a8684b-db88-4b73-90a9-3cd1661f5466"
connectors:
- type: github
  id: github
  name: GitHub
  config:
    clientID: abc
    clientSecret: s3cr3t
    redirectURI: https://dex.example.com/callback
- type: ldap
  id: ldap
  name: LDAP
  config:
    host: ldap.example.com:636
    bindDN: cn=admin,dc=example,dc=com
    bindPW: pw
    userSearch:
      baseDN: ou=People,dc=example,dc=com
      username: uid
      idAttr: uid
      emailAttr: mail
      nameAttr: cn
`;

export const MAPPING = `- connectorId: github
  groups:
  - id: "acme:admins"
    roles: ["admin"]
  - id: "acme:devs"
    roles: ["user"]
- connectorId: ldap
  groups:
  - id: "Ops"
    roles: ["user"]
`;

export function secret(username: string, roles: string, password?: string): SecretObject {
  return {
    name: `ruser-${username.replace(/[^a-z0-9]/g, '')}`,
    namespace: 'epinio',
    resourceVersion: '1',
    type: 'Opaque',
    labels: { 'epinio.io/api-user-credentials': 'true' },
    annotations: { 'epinio.io/roles': roles },
    data: { username, ...(password ? { password } : {}) },
  };
}

const USER_ROLE: ConfigMapObject = {
  name: 'epinio-user-role',
  namespace: 'epinio',
  resourceVersion: '1',
  labels: { 'epinio.io/role': 'true' },
  annotations: {},
  data: { id: 'user', name: 'User', default: 'true', actions: 'namespace\napp' },
};

export const HASH = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W';

export function snapshot(
  options: { users?: SecretObject[]; mapping?: string; epinioVersion?: string; config?: string } = {},
): Snapshot {
  return {
    location: { backend: 'file', namespace: 'epinio', file: '/tmp/none.yaml' },
    dexConfig: {
      name: 'dex-config',
      namespace: 'epinio',
      resourceVersion: '7',
      type: 'Opaque',
      labels: {},
      annotations: {},
      data: { [CONFIG_KEY]: options.config ?? CONFIG, [MAPPING_KEY]: options.mapping ?? MAPPING },
    },
    users: options.users ?? [
      secret('alice@acme.io', 'admin,user'),
      secret('bob@acme.io', 'user'),
      secret('admin@epinio.io', 'user'),
    ],
    roleConfigMaps: [USER_ROLE],
    epinioVersion: options.epinioVersion ?? 'v1.14.1',
  };
}

export function login(connectorId: string, email: string, groups: string[]): Login {
  return { connectorId, userId: `${connectorId}-${email}`, username: email, email, groups, tokens: 1 };
}

/** alice: admin (acme:admins + acme:devs); bob: devs; carol: LDAP Ops (no Secret yet). */
export const LOGINS: Login[] = [
  login('github', 'alice@acme.io', ['acme:admins', 'acme:devs']),
  login('github', 'bob@acme.io', ['acme:devs']),
  login('ldap', 'carol@acme.io', ['Ops', 'Staff']),
];
