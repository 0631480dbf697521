// Plain-data conversions shared by the stores: Kubernetes JSON objects to SecretObject /
// ConfigMapObject, and the key-level comparison behind conflict detection and rebase.
import { ROLES_ANNOTATION, USER_LABEL } from '../domain/names.js';
import { ConflictError, StoreError } from './errors.js';
import type { ConfigMapObject, NewUser, SecretObject } from './types.js';

/** The parts of a Kubernetes object we read. */
export interface RawObject {
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string> | null;
    annotations?: Record<string, string> | null;
  };
  type?: string;
  data?: Record<string, string> | null;
  stringData?: Record<string, string> | null;
}

export function decodeBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

export function encodeBase64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

function stringRecord(r: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r ?? {})) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}

export function secretFromRaw(
  obj: RawObject,
  fallbackNamespace: string,
  resourceVersion?: string,
): SecretObject {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringRecord(obj.data))) data[k] = decodeBase64(v);
  // stringData wins over data, as the API server merges them.
  Object.assign(data, stringRecord(obj.stringData));
  return {
    name: obj.metadata?.name ?? '',
    namespace: obj.metadata?.namespace ?? fallbackNamespace,
    resourceVersion: resourceVersion ?? obj.metadata?.resourceVersion ?? '',
    type: obj.type ?? 'Opaque',
    labels: stringRecord(obj.metadata?.labels),
    annotations: stringRecord(obj.metadata?.annotations),
    data,
  };
}

export function configMapFromRaw(
  obj: RawObject,
  fallbackNamespace: string,
  resourceVersion?: string,
): ConfigMapObject {
  const cm: ConfigMapObject = {
    name: obj.metadata?.name ?? '',
    namespace: obj.metadata?.namespace ?? fallbackNamespace,
    resourceVersion: resourceVersion ?? obj.metadata?.resourceVersion ?? '',
    labels: stringRecord(obj.metadata?.labels),
    annotations: stringRecord(obj.metadata?.annotations),
    data: stringRecord(obj.data),
  };
  if (obj.metadata?.creationTimestamp) cm.creationTimestamp = String(obj.metadata.creationTimestamp);
  return cm;
}

/** Keys whose value differs between two data maps (added, removed or changed), sorted. */
export function changedKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}

/** What differs between two versions of a Secret: data keys, then `annotation K`, `label K`,
 *  `type` (what a conflict on a single-object write reports). */
export function changedParts(a: SecretObject, b: SecretObject): string[] {
  const parts = changedKeys(a.data, b.data);
  for (const k of changedKeys(a.annotations, b.annotations)) parts.push(`annotation ${k}`);
  for (const k of changedKeys(a.labels, b.labels)) parts.push(`label ${k}`);
  if (a.type !== b.type) parts.push('type');
  return parts;
}

/** The one way both stores report a user Secret that changed since it was read: what the other
 *  writer changed, so a conflict on unrelated metadata is not blamed on the key being set. */
export function userConflict(base: SecretObject, latest: SecretObject): ConflictError {
  return new ConflictError(base, latest, changedParts(base, latest), 'meanwhile');
}

/** The requested changes that really change something relative to `data`. */
export function effectiveChanges(
  data: Record<string, string>,
  changes: Record<string, string | null>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(changes)) {
    if (v === null ? k in data : data[k] !== v) out[k] = v;
  }
  return out;
}

/** Epinio finds users by data.username, never by name: a second Secret with the same username
 *  would lock that user out ("user is defined multiple times"), so creating one is refused. */
export function refuseExistingUser(users: readonly SecretObject[], username: string): void {
  const existing = users.find((u) => u.data.username === username);
  if (existing) {
    throw new StoreError(
      'Conflict',
      `user ${username} already exists (Secret ${existing.name})`,
      'edit that user instead',
    );
  }
}

/** The user Secret as the Epinio server itself creates it (epinio-formats.md §4.3, §4.7). */
export async function newUserSecret(user: NewUser, namespace: string) {
  // Loaded on use: the name formula lives in the domain.
  const { formatRolesAnnotation, serverSecretName } = await import('../domain/users.js');
  const name = serverSecretName(user.username);
  const data: Record<string, string> = { username: encodeBase64(user.username) };
  if (user.passwordHash !== undefined) data.password = encodeBase64(user.passwordHash);
  data.namespaces = encodeBase64((user.namespaces ?? []).join('\n'));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name,
      namespace,
      labels: { [USER_LABEL]: 'true' },
      annotations: { [ROLES_ANNOTATION]: formatRolesAnnotation(user.roles) },
    },
    data,
  };
}
