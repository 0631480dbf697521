// Logins from Dex's Kubernetes storage in a cluster: the RefreshToken and OfflineSessions custom
// resources in Dex's namespace (the one dex-config is in). Each list is paginated (one request per
// page of PAGE objects) and parsed without its secrets (dexStorage.ts); a failure on any page fails
// the whole read, so a partial list is never shown as complete.
import { foldLogins } from '../../domain/logins.js';
import type { Login } from '../../domain/objects.js';
import {
  DEX_OFFLINE_SESSIONS,
  DEX_REFRESH_TOKENS,
  DEX_STORAGE_GROUP,
  DEX_STORAGE_VERSION,
  LOGINS_ROLE_RULE,
} from '../../domain/names.js';
import {
  OFFLINE_SESSIONS_RESOURCE,
  REFRESH_TOKENS_RESOURCE,
  dexStorageType,
  dropDexSecrets,
  noCrdsError,
  offlineSessionRecord,
  otherStorageError,
  refreshTokenRecord,
} from '../dexStorage.js';
import { ForbiddenError, NotFoundError, StoreError } from '../errors.js';
import type { SecretObject } from '../types.js';
import type { KubeHttp } from './http.js';

/** Objects per page: 5,000 identities are 10 requests, and no response holds more than this. */
export const LOGIN_PAGE = 500;

interface Page {
  items?: unknown;
  metadata?: { continue?: unknown };
}

/** Every object of one Dex resource, page by page; `keep` turns each into its safe record at once. */
async function listDexResource<T>(
  http: KubeHttp,
  namespace: string,
  plural: string,
  resource: string,
  keep: (raw: unknown) => T,
  pageSize: number,
): Promise<T[]> {
  const base = `/apis/${DEX_STORAGE_GROUP}/${DEX_STORAGE_VERSION}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
  for (let restart = 0; ; restart++) {
    const out: T[] = [];
    let token: string | undefined;
    let expired = false;
    let page = 0;
    do {
      page++;
      const q = new URLSearchParams({ limit: String(pageSize) });
      if (token) q.set('continue', token);
      let res;
      try {
        res = await http.request<Page>(
          'GET',
          `${base}?${q}`,
          { verb: 'list', resource, namespace },
          { allow: [410], reviver: dropDexSecrets },
        );
      } catch (err) {
        throw withContext(err, resource, page);
      }
      if (res.status === 410) {
        // The continue token expired (etcd compaction): start over, a list is consistent or nothing.
        expired = true;
        break;
      }
      const body = res.body;
      if (typeof body !== 'object' || body === null || !Array.isArray(body.items)) {
        throw new StoreError(
          'ServerError',
          `the API server's answer to list ${resource} (page ${page}) is not a list; no logins are shown`,
          'try again; if it persists, check the API server and the custom resource definition',
        );
      }
      for (const item of body.items) out.push(keep(item));
      token =
        typeof body.metadata?.continue === 'string' && body.metadata.continue
          ? body.metadata.continue
          : undefined;
    } while (token);
    if (!expired) return out;
    if (restart >= 2) {
      throw new StoreError(
        'ServerError',
        `listing ${resource} kept expiring before it completed; no logins are shown`,
        'try again',
      );
    }
  }
}

/** A 403 names the Role rule; a failure after the first page says that nothing partial is shown. */
function withContext(err: unknown, resource: string, page: number): unknown {
  if (err instanceof ForbiddenError) {
    return new ForbiddenError(
      err.verb,
      err.resource,
      err.resourceName,
      err.namespace,
      err.serverMessage,
      LOGINS_ROLE_RULE,
    );
  }
  if (err instanceof NotFoundError) return err;
  if (err instanceof StoreError && page > 1) {
    return new StoreError(
      err.kind,
      `${err.message} (page ${page} of list ${resource}; no logins are shown)`,
      err.hint,
    );
  }
  return err;
}

export interface ListLoginsOptions {
  /** dex-config, to say which storage Dex uses (undefined: unreadable, the custom resources decide). */
  dexConfig: () => Promise<SecretObject | undefined>;
  pageSize?: number;
}

export async function listDexLogins(
  http: KubeHttp,
  namespace: string,
  options: ListLoginsOptions,
): Promise<Login[]> {
  const type = dexStorageType(await options.dexConfig());
  if (type !== undefined && type !== 'kubernetes') throw otherStorageError(type, namespace);
  const pageSize = options.pageSize ?? LOGIN_PAGE;
  let tokens;
  let sessions;
  try {
    // One after the other: the refresh tokens answer first whether the storage exists at all.
    tokens = await listDexResource(
      http,
      namespace,
      DEX_REFRESH_TOKENS,
      REFRESH_TOKENS_RESOURCE,
      refreshTokenRecord,
      pageSize,
    );
    sessions = await listDexResource(
      http,
      namespace,
      DEX_OFFLINE_SESSIONS,
      OFFLINE_SESSIONS_RESOURCE,
      offlineSessionRecord,
      pageSize,
    );
  } catch (err) {
    if (err instanceof NotFoundError) {
      // A 404 on the collection: the custom resource is not defined (a namespace is not checked by
      // the API server for a list, so it is the resource that is missing).
      throw noCrdsError(
        namespace,
        `the API server has no ${err.resource} (group ${DEX_STORAGE_GROUP}, version ${DEX_STORAGE_VERSION})${type === 'kubernetes' ? ', although config.yaml says storage type "kubernetes": Dex has not started with it yet, or it runs in another cluster' : ''}`,
      );
    }
    throw err;
  }
  return foldLogins(tokens, sessions);
}
