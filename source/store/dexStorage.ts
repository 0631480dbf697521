// Reading Dex's Kubernetes storage safely, shared by the cluster and file stores. A RefreshToken
// object holds the refresh token itself (`token`, `obsoleteToken`), the upstream connector's data
// (`connectorData`: often the IdP's own refresh token) and the OIDC `nonce`; an OfflineSessions
// object holds `connectorData` too. None of that may reach output, logs or errors, so it is dropped
// at the first parse (the JSON reviver below removes those keys before the object even exists)
// and the records keep only an explicit list of claims and times (the pickers below).
import { DexConfigDocument } from '../domain/dexConfig.js';
import type { OfflineSessionRecord, RefreshTokenRecord } from '../domain/logins.js';
import {
  DEX_CONFIG,
  DEX_OFFLINE_SESSIONS,
  DEX_REFRESH_TOKENS,
  DEX_STORAGE_GROUP,
  DEX_STORAGE_VERSION,
  CONFIG_KEY,
} from '../domain/names.js';
import { StoreError } from './errors.js';
import type { SecretObject } from './types.js';

/** Keys whose values are secrets in any Dex storage object (storage/kubernetes/types.go). */
const SECRET_KEYS = new Set(['token', 'obsoleteToken', 'connectorData', 'nonce']);

/** JSON.parse reviver: a secret key is never part of the parsed value (nor of anything kept). */
export function dropDexSecrets(key: string, value: unknown): unknown {
  return SECRET_KEYS.has(key) ? undefined : value;
}

/** JSON text of a list page (or a single object) parsed without its secrets. */
export function parseDexStorageJson(text: string): unknown {
  return JSON.parse(text, dropDexSecrets);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The claims and times of one RefreshToken object; nothing else is copied. */
export function refreshTokenRecord(raw: unknown): RefreshTokenRecord {
  const o = obj(raw);
  const claims = obj(o.claims);
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g) => typeof g === 'string') : [];
  return {
    name: str(obj(o.metadata).name),
    clientId: str(o.clientID),
    connectorId: str(o.connectorID),
    userId: str(claims.userID),
    username: str(claims.username),
    preferredUsername: str(claims.preferredUsername),
    email: str(claims.email),
    emailVerified: claims.emailVerified === true,
    groups,
    // Go's encoding/json writes untagged fields under their Go names.
    createdAt: optStr(o.CreatedAt),
    lastUsed: optStr(o.LastUsed),
  };
}

/** The identity and refresh-token references of one OfflineSessions object. */
export function offlineSessionRecord(raw: unknown): OfflineSessionRecord {
  const o = obj(raw);
  const refs = Object.values(obj(o.refresh)).map((r) => {
    const ref = obj(r);
    return {
      id: str(ref.ID),
      clientId: str(ref.ClientID),
      createdAt: optStr(ref.CreatedAt),
      lastUsed: optStr(ref.LastUsed),
    };
  });
  return { userId: str(o.userID), connectorId: str(o.connID), refs };
}

export const REFRESH_TOKEN_KIND = 'RefreshToken';
export const OFFLINE_SESSIONS_KIND = 'OfflineSessions';
export const DEX_STORAGE_API_VERSION = `${DEX_STORAGE_GROUP}/${DEX_STORAGE_VERSION}`;
export const REFRESH_TOKENS_RESOURCE = `${DEX_REFRESH_TOKENS}.${DEX_STORAGE_GROUP}`;
export const OFFLINE_SESSIONS_RESOURCE = `${DEX_OFFLINE_SESSIONS}.${DEX_STORAGE_GROUP}`;

/**
 * Logins cannot be read here: no Dex Kubernetes storage (the custom resources are absent, or Dex is
 * configured with another storage type, or a manifest file holds no Dex objects). Not found (exit 4):
 * what the tool looked for does not exist; never an empty table, which would say "nobody logged in".
 */
export class LoginsUnavailableError extends StoreError {
  constructor(
    readonly reason: 'no-crds' | 'other-storage' | 'not-in-file',
    message: string,
    hint: string,
    /** Dex's `storage.type` when the config names one. */
    readonly storageType?: string,
  ) {
    super('NotFound', message, hint);
  }
}

/** `storage.type` of the `config.yaml` in dex-config, or undefined when it cannot be read. */
export function dexStorageType(dexConfig: SecretObject | undefined): string | undefined {
  const text = dexConfig?.data[CONFIG_KEY];
  if (text === undefined) return undefined;
  try {
    // Dex decodes config.yaml with Go's encoding/json, which matches keys without case.
    const field = (o: Record<string, unknown>, key: string) =>
      o[Object.keys(o).find((k) => k.toLowerCase() === key) ?? key];
    const type = field(obj(field(DexConfigDocument.parse(text).dexView(), 'storage')), 'type');
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

/** The refusal when Dex keeps its data elsewhere: which storage it uses and what that means. */
export function otherStorageError(type: string, namespace: string): LoginsUnavailableError {
  const where: Record<string, string> = {
    memory: 'in its own memory (lost at every restart, and readable by nobody else)',
    sqlite3: 'in an SQLite file inside its pod',
    postgres: 'in a PostgreSQL database',
    mysql: 'in a MySQL database',
    etcd: 'in an etcd cluster of its own',
  };
  return new LoginsUnavailableError(
    'other-storage',
    `Dex's config.yaml (${DEX_CONFIG} in namespace "${namespace}") says storage type "${type}": Dex keeps its logins ${where[type] ?? 'outside the Kubernetes API'}, so they cannot be read here`,
    'logins are readable only with Dex storage type "kubernetes" (storage: {type: kubernetes, config: {inCluster: true}}, Epinio\'s default)',
    type,
  );
}

export function noCrdsError(namespace: string, detail: string): LoginsUnavailableError {
  return new LoginsUnavailableError(
    'no-crds',
    `no Dex Kubernetes storage in this cluster: ${detail}`,
    `Dex creates the ${DEX_STORAGE_GROUP} custom resources when it starts with storage type "kubernetes"; check that Dex runs in namespace "${namespace}" (-n) with that storage`,
    'kubernetes',
  );
}
