// The Store over a real cluster. Reads list by label (paginated), writes are single PATCH/POST/DELETE
// requests carrying the object's resourceVersion as precondition, so nothing is ever overwritten blind.
import { Backups } from '../backups.js';
import { StoreError, readOnlyError } from '../errors.js';
import {
  DEX_CONFIG,
  DEX_DEPLOYMENT,
  EPINIO_SERVER,
  EPINIO_SERVER_SELECTOR,
  NOT_FOUND_DEX,
  ROLE_LABEL,
  ROLES_ANNOTATION,
  USER_LABEL,
} from '../../domain/names.js';
import {
  userConflict,
  configMapFromRaw,
  encodeBase64,
  newUserSecret,
  refuseExistingUser,
  secretFromRaw,
  type RawObject,
} from '../objects.js';
import { saveWithRebase } from '../rebase.js';
import type {
  BackupContent,
  BackupInfo,
  Capabilities,
  ConfigMapObject,
  ConnectOptions,
  HistoryState,
  Location,
  Login,
  NewUser,
  RolloutProgress,
  RestartVerifyOptions,
  SaveDexConfigRequest,
  SaveDexConfigResult,
  SecretObject,
  Snapshot,
  SnapshotOptions,
  Store,
} from '../types.js';
import { KubeHttp, type Target } from './http.js';
import { loadKubeconfig } from './kubeconfig.js';
import { listDexLogins } from './dexLogins.js';
import { readHistoryState, withRevision } from '../history.js';
import { applyChanges } from '../../domain/objects.js';
import { hashStamp, KubeHistory } from './history.js';
import { imageTag, type RawDeployment } from './deployments.js';
import { configOf, followRollout } from './restartFollow.js';

const MERGE_PATCH = 'application/merge-patch+json';
const PAGE = 500;
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

interface RawList {
  items?: RawObject[];
  metadata?: { continue?: string };
}

export async function createKubeStore(options: ConnectOptions): Promise<Store> {
  const loaded = await loadKubeconfig({ kubeconfig: options.kubeconfig, context: options.context });
  // client-node refuses plain-http servers unless TLS verification is off; kubectl allows them
  // (e.g. `kubectl proxy`), and TLS settings mean nothing without TLS, so mark them so.
  if (loaded.cluster.server.startsWith('http:'))
    (loaded.cluster as { skipTLSVerify: boolean }).skipTLSVerify = true;
  const http = new KubeHttp(loaded.kc, loaded.cluster.server, options.requestTimeoutMs, loaded.context);
  const store = new KubeStore(http, loaded.context, options.namespace, Boolean(options.readOnly));
  store.kubeconfigUser = loaded.kc.getContextObject(loaded.context)?.user;
  return store;
}

export class KubeStore implements Store {
  readonly location: Location;
  private readonly backups: Backups;
  /** Poll interval while following a Dex rollout (tests shorten it). */
  pollMs = 1000;
  /** The kubeconfig's user name: the author of a revision when the API server cannot say who. */
  kubeconfigUser?: string;
  /** The revision history Secret beside dex-config (kube/history.ts). */
  readonly history: KubeHistory;
  /** A new Dex container running but unready this long, while the old pod serves, is a failure. */
  notReadyAfterMs = 60_000;

  constructor(
    private readonly http: KubeHttp,
    context: string,
    private readonly namespace: string,
    private readonly readOnly: boolean,
    backups?: Backups,
  ) {
    this.location = { backend: 'cluster', namespace, context, cluster: http.server };
    this.backups =
      backups ??
      new Backups(`${http.server} ${context} ${namespace}`, `context ${context}, namespace ${namespace}`);
    this.history = new KubeHistory(http, namespace, () => this.kubeconfigUser);
  }

  private ns(path: string): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}${path}`;
  }

  private target(verb: string, resource: string, name?: string, notFound?: string): Target {
    return { verb, resource, name, namespace: this.namespace, notFound };
  }

  private guard(): void {
    if (this.readOnly) throw readOnlyError();
  }

  async loadSnapshot(options: SnapshotOptions = {}): Promise<Snapshot> {
    const versions = options.versions !== false;
    const [dexConfig, users, roleConfigMaps, epinio, dex, startedAt] = await Promise.all([
      this.getDexConfig(),
      this.listUsers(),
      this.listRoleConfigMaps(),
      // Versions and start time are hints: unreadable or forbidden never fails the load.
      versions ? this.deployment(EPINIO_SERVER).catch(() => undefined) : undefined,
      versions ? this.deployment(DEX_DEPLOYMENT).catch(() => undefined) : undefined,
      this.epinioServerStart().catch(() => undefined),
    ]);
    const snapshot: Snapshot = { location: this.location, dexConfig, users, roleConfigMaps };
    const epinioVersion = epinio && imageTag(epinio, EPINIO_SERVER);
    const dexVersion = dex && imageTag(dex, DEX_DEPLOYMENT);
    if (epinioVersion) snapshot.epinioVersion = epinioVersion;
    if (dexVersion) snapshot.dexVersion = dexVersion;
    if (startedAt) snapshot.epinioServerStartedAt = startedAt;
    return snapshot;
  }

  async getDexConfig(): Promise<SecretObject> {
    const res = await this.http.request<RawObject>(
      'GET',
      this.ns(`/secrets/${DEX_CONFIG}`),
      this.target('get', 'secrets', DEX_CONFIG, NOT_FOUND_DEX),
    );
    return secretFromRaw(res.body, this.namespace);
  }

  /** Lists with limit/continue so 5,000+ objects never arrive in one response. */
  private async listAll(resource: 'secrets' | 'configmaps', selector: string): Promise<RawObject[]> {
    for (let restart = 0; ; restart++) {
      const items: RawObject[] = [];
      let token: string | undefined;
      let expired = false;
      do {
        const q = new URLSearchParams({ labelSelector: selector, limit: String(PAGE) });
        if (token) q.set('continue', token);
        const res = await this.http.request<RawList>(
          'GET',
          this.ns(`/${resource}?${q}`),
          this.target('list', resource),
          {
            allow: [410],
          },
        );
        if (res.status === 410) {
          // The continue token expired (etcd compaction): the list must start over to be consistent.
          expired = true;
          break;
        }
        items.push(...(res.body.items ?? []));
        token = res.body.metadata?.continue || undefined;
      } while (token);
      if (!expired) return items;
      if (restart >= 2) {
        throw new StoreError(
          'ServerError',
          `listing ${resource} kept expiring before it completed`,
          'try again',
        );
      }
    }
  }

  async listUsers(): Promise<SecretObject[]> {
    const items = await this.listAll('secrets', `${USER_LABEL}=true`);
    return items.map((o) => secretFromRaw(o, this.namespace));
  }

  async listRoleConfigMaps(): Promise<ConfigMapObject[]> {
    const items = await this.listAll('configmaps', `${ROLE_LABEL}=true`);
    return items.map((o) => configMapFromRaw(o, this.namespace));
  }

  private async deployment(name: string): Promise<RawDeployment> {
    const res = await this.http.request<RawDeployment>(
      'GET',
      `/apis/apps/v1/namespaces/${encodeURIComponent(this.namespace)}/deployments/${name}`,
      this.target('get', 'deployments', name, `Deployment "${name}" is expected in the Epinio namespace`),
    );
    return res.body;
  }

  /** The oldest running epinio-server pod's start: a role created after it is not loaded everywhere. */
  private async epinioServerStart(): Promise<string | undefined> {
    const q = new URLSearchParams({ labelSelector: EPINIO_SERVER_SELECTOR });
    const res = await this.http.request<{ items?: { status?: { phase?: string; startTime?: string } }[] }>(
      'GET',
      this.ns(`/pods?${q}`),
      this.target('list', 'pods'),
    );
    const starts = (res.body.items ?? [])
      .filter((p) => p.status?.phase === 'Running' && p.status.startTime)
      .map((p) => p.status!.startTime!)
      .sort();
    return starts[0];
  }

  private async patchSecret(
    name: string,
    patch: unknown,
    verb = 'patch',
    notFound?: string,
  ): Promise<SecretObject | 'conflict'> {
    const res = await this.http.request<RawObject>(
      'PATCH',
      this.ns(`/secrets/${encodeURIComponent(name)}`),
      this.target(verb, 'secrets', name, notFound),
      {
        body: patch,
        contentType: MERGE_PATCH,
        allow: [409],
      },
    );
    if (res.status === 409) return 'conflict';
    return secretFromRaw(res.body, this.namespace);
  }

  private async getSecret(name: string, notFound?: string): Promise<SecretObject> {
    const res = await this.http.request<RawObject>(
      'GET',
      this.ns(`/secrets/${encodeURIComponent(name)}`),
      this.target('get', 'secrets', name, notFound),
    );
    return secretFromRaw(res.body, this.namespace);
  }

  async saveDexConfig(request: SaveDexConfigRequest): Promise<SaveDexConfigResult> {
    this.guard();
    let replaced: SecretObject | undefined;
    const result = await saveWithRebase(
      {
        write: (current, changes) => {
          const data: Record<string, string | null> = {};
          for (const [k, v] of Object.entries(changes)) data[k] = v === null ? null : encodeBase64(v);
          replaced = current;
          // One merge patch: only the changed keys, the stamp (hash of the data it leaves, for Helm
          // upgrade detection) and the resourceVersion as the precondition.
          const annotations = hashStamp(applyChanges(current.data, changes));
          return this.patchSecret(
            DEX_CONFIG,
            { metadata: { resourceVersion: current.resourceVersion, annotations }, data },
            'patch',
            NOT_FOUND_DEX,
          );
        },
        fetch: () => this.getDexConfig(),
        backup: (previous) => this.backups.write(previous),
      },
      request,
    );
    // The revision for the shared history; a history that cannot be written never fails the save.
    const recorded = await withRevision(this.history, request, replaced, result);
    if (recorded.revision === undefined) return recorded;
    const secret = await this.history
      .stampRevision(recorded.secret, recorded.revision)
      .catch(() => recorded.secret);
    return { ...recorded, secret };
  }

  readHistory(): Promise<HistoryState> {
    return readHistoryState(this.history);
  }

  /** A single-object write with precondition; a conflict reports what changed meanwhile. */
  private async preconditioned(user: SecretObject, patch: Record<string, unknown>): Promise<SecretObject> {
    this.guard();
    const gone = `user Secret "${user.name}" was deleted meanwhile; reload`;
    const metadata = {
      ...((patch.metadata as Record<string, unknown>) ?? {}),
      resourceVersion: user.resourceVersion,
    };
    const result = await this.patchSecret(user.name, { ...patch, metadata }, 'patch', gone);
    if (result !== 'conflict') return result;
    throw userConflict(user, await this.getSecret(user.name, gone));
  }

  setUserPassword(user: SecretObject, passwordHash: string): Promise<SecretObject> {
    return this.preconditioned(user, { data: { password: encodeBase64(passwordHash) } });
  }

  setUserRoles(user: SecretObject, rolesAnnotation: string): Promise<SecretObject> {
    return this.preconditioned(user, { metadata: { annotations: { [ROLES_ANNOTATION]: rolesAnnotation } } });
  }

  async createUser(user: NewUser): Promise<SecretObject> {
    this.guard();
    refuseExistingUser(await this.listUsers(), user.username);
    const body = await newUserSecret(user, this.namespace);
    const name = body.metadata.name;
    const res = await this.http.request<RawObject>(
      'POST',
      this.ns('/secrets'),
      this.target('create', 'secrets', name),
      {
        body,
        allow: [409],
      },
    );
    if (res.status === 409) {
      throw new StoreError(
        'Conflict',
        `a Secret named ${name} already exists in namespace "${this.namespace}" but is not a user with username ${user.username}`,
        `inspect it with: kubectl get secret ${name} -n ${this.namespace} -o yaml`,
      );
    }
    return secretFromRaw(res.body, this.namespace);
  }

  async deleteUser(user: SecretObject): Promise<void> {
    this.guard();
    const gone = `user Secret "${user.name}" was already deleted; reload`;
    const res = await this.http.request(
      'DELETE',
      this.ns(`/secrets/${encodeURIComponent(user.name)}`),
      this.target('delete', 'secrets', user.name, gone),
      {
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          preconditions: { resourceVersion: user.resourceVersion },
        },
        allow: [409],
      },
    );
    if (res.status === 409) {
      throw userConflict(user, await this.getSecret(user.name, gone));
    }
  }

  async restartDex(options: {
    wait: boolean;
    timeoutMs: number;
    onProgress?: (p: RolloutProgress) => void;
    verify?: RestartVerifyOptions;
  }): Promise<RolloutProgress> {
    this.guard();
    const deadline = Date.now() + options.timeoutMs;
    // The config Dex restarts on: its secrets are masked in pod output, its connectors checked.
    const config = options.wait
      ? await this.getDexConfig().then(
          (s) => configOf(s.data),
          () => undefined,
        )
      : undefined;
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(this.namespace)}/deployments/dex`;
    const notFound =
      'Dex runs as Deployment "dex" in the Epinio namespace; check -n, or whether Dex is installed';
    // What `kubectl rollout restart` does: a new pod-template annotation makes a new ReplicaSet.
    // Milliseconds (still RFC 3339) so that two restarts within one second are two rollouts, not a
    // no-op patch that leaves the generation unchanged and reports the previous rollout as ready.
    const patched = await this.http.request<RawDeployment>(
      'PATCH',
      path,
      this.target('patch', 'deployments', DEX_DEPLOYMENT, notFound),
      {
        body: {
          spec: { template: { metadata: { annotations: { [RESTARTED_AT]: new Date().toISOString() } } } },
        },
        contentType: MERGE_PATCH,
      },
    );
    const generation = patched.body.metadata?.generation ?? 0;
    const progress: RolloutProgress = {
      phase: 'restarting',
      message: 'restart requested for Deployment dex',
    };
    options.onProgress?.(progress);
    if (!options.wait) return progress;
    return followRollout({
      http: this.http,
      namespace: this.namespace,
      target: (verb, resource, name, nf) => this.target(verb, resource, name, nf),
      generation,
      deadline,
      timeoutMs: options.timeoutMs,
      pollMs: this.pollMs,
      notReadyAfterMs: this.notReadyAfterMs,
      config,
      verify: {
        ...options.verify,
        previousConfig: options.verify?.previousConfig ?? (await this.lastSavedOverConfig()),
      },
      onProgress: options.onProgress,
    });
  }

  async capabilities(): Promise<Capabilities> {
    if (this.readOnly) {
      return {
        writeDexConfig: false,
        writeUsers: false,
        restartDex: false,
        reasons: ['read-only mode (--read-only)'],
      };
    }
    const checks = {
      getDex: { verb: 'get', resource: 'secrets', group: '', name: DEX_CONFIG },
      patchDex: { verb: 'patch', resource: 'secrets', group: '', name: DEX_CONFIG },
      patchSecrets: { verb: 'patch', resource: 'secrets', group: '' },
      createSecrets: { verb: 'create', resource: 'secrets', group: '' },
      deleteSecrets: { verb: 'delete', resource: 'secrets', group: '' },
      patchDexDeployment: { verb: 'patch', resource: 'deployments', group: 'apps', name: DEX_DEPLOYMENT },
    };
    const reasons: string[] = [];
    const allowed: Record<string, boolean> = {};
    await Promise.all(
      Object.entries(checks).map(async ([key, c]) => {
        try {
          allowed[key] = await this.mayI(c);
        } catch (err) {
          allowed[key] = false;
          reasons.push(`could not check whether you may ${c.verb} ${c.resource}: ${(err as Error).message}`);
          return;
        }
        if (!allowed[key]) {
          reasons.push(
            `cannot ${c.verb} ${c.resource}${'name' in c ? ` "${c.name}"` : ''} in namespace "${this.namespace}"`,
          );
        }
      }),
    );
    // RBAC cannot exclude dex-config from "all Secrets", so a Role that may edit users but not
    // dex-config names the user Secrets one by one. Then the unnamed check denies although user
    // writes work: ask again for one real user Secret (one small list, one more review).
    let usersByName = false;
    if (!allowed.patchSecrets) {
      try {
        const q = new URLSearchParams({ labelSelector: `${USER_LABEL}=true`, limit: '1' });
        const res = await this.http.request<RawList>(
          'GET',
          this.ns(`/secrets?${q}`),
          this.target('list', 'secrets'),
        );
        const name = res.body.items?.[0]?.metadata?.name;
        usersByName = name !== undefined && (await this.mayI({ ...checks.patchSecrets, name }));
      } catch {
        // The unnamed answer and its reason stand.
      }
    }
    reasons.sort();
    return {
      writeDexConfig: allowed.getDex && allowed.patchDex,
      // Per-name rights allow editing existing users; create and delete then fail with Forbidden
      // (and its kubectl auth can-i line) when the operator tries them.
      writeUsers: (allowed.patchSecrets && allowed.createSecrets && allowed.deleteSecrets) || usersByName,
      restartDex: allowed.patchDexDeployment,
      reasons,
    };
  }

  private async mayI(attributes: {
    verb: string;
    resource: string;
    group: string;
    name?: string;
  }): Promise<boolean> {
    const res = await this.http.request<{ status?: { allowed?: boolean } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      this.target('create', 'selfsubjectaccessreviews'),
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { namespace: this.namespace, ...attributes } },
        },
      },
    );
    return res.body.status?.allowed === true;
  }

  /** config.yaml as it was before the newest save (its backup): what that save changed is checked. */
  private async lastSavedOverConfig(): Promise<string | undefined> {
    try {
      const [newest] = (await this.backups.list()).sort((a, b) => b.takenAt.localeCompare(a.takenAt));
      return newest ? configOf((await this.backups.read(newest.id)).data) : undefined;
    } catch {
      return undefined;
    }
  }

  listBackups(): Promise<BackupInfo[]> {
    return this.backups.list();
  }

  readBackup(id: string): Promise<BackupContent> {
    return this.backups.content(id);
  }

  async restoreBackup(id: string): Promise<SaveDexConfigResult> {
    this.guard();
    const backup = await this.backups.read(id);
    const current = await this.getDexConfig();
    return this.saveDexConfig({ base: current, changes: { ...backup.data }, record: { kind: 'restore' } });
  }

  listLogins(): Promise<Login[]> {
    // dex-config only says which storage Dex uses; unreadable, the custom resources decide.
    return listDexLogins(this.http, this.namespace, {
      dexConfig: () => this.getDexConfig().catch(() => undefined),
    });
  }
}
