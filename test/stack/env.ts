// What integration, e2e and reliability tests import: the running stack (started once per run by
// scripts/test.ts, described in the JSON file named by EDA_TEST_STACK), fresh namespaces with the
// Epinio fixtures, and an independent REST client.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createNamespace, installFixtures, installRbac } from './fixtures.js';
import { kubeClient, type KubeClient } from './http.js';

export {
  fixtureUsers,
  fixtureRoles,
  DEX_CONFIG_YAML,
  ROLES_MAPPING_YAML,
  STATIC_PASSWORD,
  USERS_ONLY_WRITABLE,
} from './fixtures.js';
export type { FixtureUser } from './fixtures.js';
export type { KubeClient, KubeResponse, PatchType } from './http.js';

export type Identity = 'admin' | 'viewer' | 'usersOnly' | 'none' | 'operator';

export interface TestStack {
  server: string;
  dir: string;
  kubeconfigs: { admin: string; viewer: string; usersOnly: string; none: string; operator: string };
}

/** Everything in the env file; `TestStack` is the part other suites rely on. */
export interface StackInfo extends TestStack {
  /** PEM file of the CA that signed the apiserver's serving certificate. */
  caFile: string;
  /** Bearer tokens by identity (test-only, generated per run). */
  tokens: Record<Identity, string>;
  /** Kubernetes user names behind the identities. */
  users: Record<Identity, string>;
  kubernetesVersion: string;
  etcdVersion: string;
  /** A kubectl built from the same Kubernetes version, when it built. */
  kubectl?: string;
  /** The namespace created at start with fixtures, `epinio`. */
  namespace: string;
}

let cached: StackInfo | undefined;

function stackInfo(): StackInfo {
  if (cached) return cached;
  const file = process.env.EDA_TEST_STACK;
  if (!file) {
    throw new Error(
      'EDA_TEST_STACK is not set: this test needs the real kube-apiserver test stack. Run it through the ' +
        'test runner (`npm test -- integration`), which builds and starts the stack and sets EDA_TEST_STACK.',
    );
  }
  try {
    cached = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  } catch (err) {
    throw new Error(`EDA_TEST_STACK=${file}: cannot read the stack description: ${(err as Error).message}`);
  }
  return cached;
}

export function getStack(): TestStack {
  return stackInfo();
}

export function getStackInfo(): StackInfo {
  return stackInfo();
}

/** A REST client acting as one of the stack's identities. */
export function clientAs(identity: Identity): KubeClient {
  const s = stackInfo();
  return kubeClient({
    server: s.server,
    token: s.tokens[identity],
    ca: readFileSync(s.caFile, 'utf8'),
    user: s.users[identity],
  });
}

/** The admin (system:masters) client: an independent writer for tests, sharing no code with the store. */
export function adminClient(): KubeClient {
  return clientAs('admin');
}

/**
 * Creates `${prefix}-<random>` as admin. With `fixtures`, it gets what an Epinio install has
 * (dex-config, role ConfigMaps, user Secrets, the dex and epinio-server Deployments); the RBAC
 * for `viewer` and `users-only` is installed either way so permission tests work in any namespace.
 */
export async function createTestNamespace(
  prefix: string,
  options: { fixtures?: boolean } = {},
): Promise<string> {
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^-a-z0-9]/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'test';
  const name = `${clean}-${randomBytes(4).toString('hex')}`;
  const client = adminClient();
  await createNamespace(client, name);
  if (options.fixtures) await installFixtures(client, name);
  else await installRbac(client, name);
  return name;
}
