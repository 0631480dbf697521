// Logins in a manifest file: the dex.coreos.com/v1 RefreshToken and OfflineSessions objects it holds
// (what `kubectl get refreshtokens.dex.coreos.com,offlinesessionses.dex.coreos.com -o yaml` writes).
// The manifest parse holds their token values in memory like any other field; only the safe records
// (dexStorage.ts pickers) leave this module.
import { foldLogins } from '../../domain/logins.js';
import type { Login } from '../../domain/objects.js';
import {
  DEX_STORAGE_API_VERSION,
  LoginsUnavailableError,
  OFFLINE_SESSIONS_KIND,
  REFRESH_TOKEN_KIND,
  dexStorageType,
  offlineSessionRecord,
  otherStorageError,
  refreshTokenRecord,
} from '../dexStorage.js';
import type { SecretObject } from '../types.js';
import type { ManifestObject } from './manifest.js';

export function manifestLogins(
  objects: readonly ManifestObject[],
  namespace: string,
  path: string,
  dexConfig: SecretObject | undefined,
): Login[] {
  const type = dexStorageType(dexConfig);
  if (type !== undefined && type !== 'kubernetes') throw otherStorageError(type, namespace);
  const dex = (kind: string) =>
    objects.filter(
      (o) =>
        o.kind === kind &&
        (o.namespace ?? namespace) === namespace &&
        (o.raw as { apiVersion?: unknown }).apiVersion === DEX_STORAGE_API_VERSION,
    );
  const tokens = dex(REFRESH_TOKEN_KIND);
  const sessions = dex(OFFLINE_SESSIONS_KIND);
  if (!tokens.length && !sessions.length) {
    // A manifest without Dex's objects says nothing about who logged in: not "no logins".
    throw new LoginsUnavailableError(
      'not-in-file',
      `${path} holds no ${DEX_STORAGE_API_VERSION} RefreshToken or OfflineSessions objects in namespace "${namespace}", so it says nothing about logins`,
      `add them to the file with: kubectl get refreshtokens.dex.coreos.com,offlinesessionses.dex.coreos.com -n ${namespace} -o yaml`,
    );
  }
  return foldLogins(
    tokens.map((o) => refreshTokenRecord(o.raw)),
    sessions.map((o) => offlineSessionRecord(o.raw)),
  );
}
