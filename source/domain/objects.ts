// The Kubernetes objects the tool reads and writes, as plain data: what every store delivers and the
// domain works on. No I/O types: the stores convert to and from these.

export type Backend = 'cluster' | 'file' | 'demo';

/** A Secret with its `data` already base64-decoded to UTF-8 text (`stringData` merged in for files). */
export interface SecretObject {
  name: string;
  namespace: string;
  resourceVersion: string;
  type: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  data: Record<string, string>;
}

export interface ConfigMapObject {
  name: string;
  namespace: string;
  resourceVersion: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  data: Record<string, string>;
  /** RFC 3339, when known: compared with the epinio-server pod start ("defined but not loaded"). */
  creationTimestamp?: string;
}

export interface Location {
  backend: Backend;
  namespace: string;
  /** kubeconfig context and cluster server URL (cluster backend). */
  context?: string;
  cluster?: string;
  /** manifest path (file and demo backends). */
  file?: string;
}

export interface Snapshot {
  location: Location;
  /** The `dex-config` Secret. */
  dexConfig: SecretObject;
  /** Secrets labelled `epinio.io/api-user-credentials=true`, in API order. */
  users: SecretObject[];
  /** ConfigMaps labelled `epinio.io/role=true` (the built-in `admin` is added by the domain). */
  roleConfigMaps: ConfigMapObject[];
  /** Image tag of Deployment `epinio-server` (e.g. `v1.14.1`), or undefined when it cannot be read. */
  epinioVersion?: string;
  /** Image tag of Deployment `dex`, when readable. */
  dexVersion?: string;
  /** Start time of the epinio-server pod, when readable (roles created later are not loaded yet). */
  epinioServerStartedAt?: string;
}

export interface NewUser {
  username: string;
  /** bcrypt hash, or undefined for a user without a password. */
  passwordHash?: string;
  roles: string[];
  namespaces?: string[];
}

/**
 * What Dex learned about one identity (connector + user id) at its latest login, read from Dex's own
 * storage (refresh tokens and offline sessions). Only claims and times: token values and upstream
 * connector data never leave the store that read them.
 */
export interface Login {
  connectorId: string;
  /** Dex's user id from the connector (the `sub` the connector reported). */
  userId: string;
  username: string;
  preferredUsername?: string;
  email: string;
  emailVerified?: boolean;
  /** Groups from the latest login (the refresh token most recently used). */
  groups: string[];
  /** RFC 3339: when this identity's newest refresh token was last used, when known. */
  lastUsed?: string;
  /** The OAuth2 client the latest login was for (e.g. `epinio-cli`). */
  clientId?: string;
  /** How many refresh tokens of this identity were folded into this row. */
  tokens: number;
}

/** `data` with `changes` applied (null deletes a key): what a Secret holds after a save's changes. */
export function applyChanges(
  data: Record<string, string>,
  changes: Record<string, string | null>,
): Record<string, string> {
  const out = { ...data };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}
