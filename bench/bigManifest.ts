// A manifest as `kubectl get secret,configmap -n epinio -o yaml` writes it for an install with
// `users` user Secrets (the chart's dex-config and role ConfigMaps first): the input of the
// manifest-at-scale rows. About 470 bytes per user, so 50,000 users are about 23 MB.
import { createHash } from 'node:crypto';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
// A cost-10 hash of a throwaway password.
const HASH = '$2y$10$zlXP8W4Vmn5DFVWiCCK.MuLp0fyQWYxHxucUaiZpdrIuu4Tq3H7vi';
const ROLES = ['user', 'admin:workspace', 'view_only', 'application_developer'];

export function benchUsername(i: number): string {
  return `user-${String(i).padStart(5, '0')}@bench.example.com`;
}

export function bigManifest(users: number): string {
  const config =
    'issuer: https://auth.example.com\nstorage:\n  type: kubernetes\n  config: {inCluster: true}\nenablePasswordDB: true\nstaticPasswords: []\n';
  const out: string[] = [
    'apiVersion: v1\nitems:\n',
    '- apiVersion: v1\n  data:\n' +
      `    config.yaml: ${b64(config)}\n` +
      `    rolesMapping: ${b64('- connectorId: github\n  groups:\n  - id: "acme:admins"\n    roles: ["admin"]\n')}\n` +
      '  kind: Secret\n  metadata:\n    name: dex-config\n    namespace: epinio\n    resourceVersion: "1"\n  type: Opaque\n',
    '- apiVersion: v1\n  data:\n    actions: |\n      namespace_write\n    default: "true"\n    id: user\n    name: User Role\n' +
      '  kind: ConfigMap\n  metadata:\n    labels:\n      epinio.io/role: "true"\n    name: epinio-user-role\n    namespace: epinio\n',
  ];
  for (let i = 0; i < users; i++) {
    const username = benchUsername(i);
    const digest = createHash('sha1').update(username).digest('hex');
    out.push(
      '- apiVersion: v1\n  data:\n' +
        `    namespaces: ${i % 3 ? b64('workspace\n') : '""'}\n` +
        `    password: ${b64(HASH)}\n` +
        `    username: ${b64(username)}\n` +
        '  kind: Secret\n  metadata:\n    annotations:\n' +
        `      epinio.io/roles: ${ROLES[i % ROLES.length]}\n` +
        `    creationTimestamp: "2026-01-01T00:00:00Z"\n` +
        '    labels:\n      epinio.io/api-user-credentials: "true"\n' +
        `    name: ruser-user${i}-${digest}\n    namespace: epinio\n    resourceVersion: "${1000 + i}"\n` +
        '  type: Opaque\n',
    );
  }
  out.push('kind: List\nmetadata:\n  resourceVersion: ""\n');
  return out.join('');
}
