// The one way in and out of Kubernetes objects. The TUI and the scripted commands use only this
// interface; the Kubernetes store, the manifest-file store and the demo sandbox implement it.
// All values are plain data (no client-node types), so the domain and the UI never see I/O types;
// the objects themselves are the domain's (source/domain/objects.ts).
import type { ConfigMapObject, Location, Login, NewUser, SecretObject, Snapshot } from '../domain/objects.js';
import type { HistoryDoc, RevisionKind } from '../domain/history.js';

export type {
  Backend,
  ConfigMapObject,
  Location,
  Login,
  NewUser,
  SecretObject,
  Snapshot,
} from '../domain/objects.js';

export interface SaveDexConfigRequest {
  /** The Secret the edits were made against (its resourceVersion is the precondition). */
  base: SecretObject;
  /** Keys to change: new text, or null to delete the key. Keys not listed are left untouched. */
  changes: Record<string, string | null>;
  /** How the revision this save records is described (default: a plain save). */
  record?: { kind: RevisionKind; rollbackOf?: number };
}

export interface SaveDexConfigResult {
  secret: SecretObject;
  /** True when the first write hit a conflict on other keys and our changes were re-applied on the newer version. */
  rebased: boolean;
  /** Keys someone else changed meanwhile (non-empty only when rebased). */
  remoteChangedKeys: string[];
  /** Id of the backup of the previous data, when one was written. */
  backupId?: string;
  /** The revision recorded in the history Secret, when it could be written. */
  revision?: number;
  /** Why the revision was not recorded (the local backup is then the only copy), or what pruning dropped. */
  historyWarning?: string;
}

/** The revision history (domain/history.ts) as a store holds it. */
export interface HistoryState {
  /** `cluster`: the Secret beside dex-config, shared by every operator; `session`: kept in memory by the
   *  file and demo stores for this run only. */
  scope: 'cluster' | 'session';
  doc: HistoryDoc;
  keep: number;
  /** Why the history could not be read, or a problem with its keep annotation. */
  warning?: string;
}

export type Verb = 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete';

export interface AccessCheck {
  verb: Verb;
  group: string;
  resource: string;
  name?: string;
}

export interface Capabilities {
  /** Can write `dex-config` (get + patch on that Secret). */
  writeDexConfig: boolean;
  /** Can patch/create/delete user Secrets. */
  writeUsers: boolean;
  /** Can patch Deployment `dex` (restart). */
  restartDex: boolean;
  /** When something is denied: why, e.g. `cannot patch secrets "dex-config" in namespace "epinio"`. */
  reasons: string[];
}

export interface RolloutProgress {
  phase: 'restarting' | 'progressing' | 'ready' | 'timeout' | 'failed';
  message: string;
  updatedReplicas?: number;
  readyReplicas?: number;
  replicas?: number;
  /** The new ReplicaSet's pods (issue 13 "verify after restart"), when the tool may list them. */
  pods?: PodProgress[];
  /** The failing container, when a new pod crashed, failed or stayed not ready. */
  failure?: PodFailure;
  /** After the rollout: what the operator changed, checked (discovery, connectors opened). */
  checks?: RestartCheck[];
  /** What the verification could not see (RBAC, no kubelet), one sentence each. */
  unseen?: string[];
}

export interface PodProgress {
  name: string;
  state: 'pending' | 'starting' | 'ready' | 'notReady' | 'crashLooping' | 'failed';
  restarts: number;
  detail?: string;
}

export interface PodFailure {
  pod: string;
  container: string;
  reason?: string;
  exitCode?: number;
  /** The container's termination message (masked, escapes stripped). */
  message?: string;
  /** Its last log lines (masked, escapes stripped); absent when unavailable (see logsUnavailable). */
  logs?: string[];
  logsUnavailable?: string;
}

export interface RestartCheck {
  name: string;
  /** undefined: could not be checked (the message says why). */
  ok: boolean | undefined;
  message: string;
}

/** What `restartDex` verifies beyond the rollout counts. */
export interface RestartVerifyOptions {
  /** config.yaml before the change: connectors added or edited since must be seen opening. */
  previousConfig?: string;
}

export interface BackupInfo {
  id: string;
  /** ISO time the backup was taken. */
  takenAt: string;
  location: string;
  keys: string[];
}

export interface BackupContent extends BackupInfo {
  data: Record<string, string>;
}

export interface SnapshotOptions {
  versions?: boolean;
}

export interface Store {
  readonly location: Location;
  /** Loads everything the tool shows. Throws NotFoundError when `dex-config` does not exist.
   *  `versions: false` leaves out the Epinio and Dex versions (two Deployment reads), for a
   *  command whose output does not depend on them (`users list`); stores without the cost ignore it. */
  loadSnapshot(options?: SnapshotOptions): Promise<Snapshot>;
  getDexConfig(): Promise<SecretObject>;
  listUsers(): Promise<SecretObject[]>;
  listRoleConfigMaps(): Promise<ConfigMapObject[]>;

  /** One write with the base's resourceVersion as precondition; rebases on conflicts that touched other keys,
   *  throws ConflictError (with both versions) when the same keys changed. Writes a backup first. */
  saveDexConfig(request: SaveDexConfigRequest): Promise<SaveDexConfigResult>;

  /** Sets `data.password` only (precondition: the user's resourceVersion). */
  setUserPassword(user: SecretObject, passwordHash: string): Promise<SecretObject>;
  /** Sets the `epinio.io/roles` annotation only (precondition: the user's resourceVersion). */
  setUserRoles(user: SecretObject, rolesAnnotation: string): Promise<SecretObject>;
  /** Creates a user Secret named by the server formula. */
  createUser(user: NewUser): Promise<SecretObject>;
  /** Deletes a user Secret (precondition: resourceVersion). */
  deleteUser(user: SecretObject): Promise<void>;

  /** `kubectl rollout restart deployment/dex`, then follows the rollout until ready or timeout. */
  restartDex(options: {
    wait: boolean;
    timeoutMs: number;
    onProgress?: (p: RolloutProgress) => void;
    verify?: RestartVerifyOptions;
  }): Promise<RolloutProgress>;

  /** What this identity may write; denied writes turn the UI read-only with the reason. */
  capabilities(): Promise<Capabilities>;

  listBackups(): Promise<BackupInfo[]>;
  /** One backup's keys and values, for the preview of a restore (masked diff, problems, impact). */
  readBackup(id: string): Promise<BackupContent>;
  /** Writes the backed-up keys over the current `dex-config` (with its own precondition and backup). */
  restoreBackup(id: string): Promise<SaveDexConfigResult>;

  /** Dex's logins, one row per identity, from Dex's Kubernetes storage (refresh tokens and offline
   *  sessions), without any token value. [] when Dex recorded none; LoginsUnavailableError
   *  (store/dexStorage.ts) when there is no such storage; ForbiddenError with the Role rule. */
  listLogins(): Promise<Login[]>;
  /** The revision history (store/history.ts); never throws for a missing or forbidden history: see `warning`. */
  readHistory(): Promise<HistoryState>;
}

/** How to open a store (the CLI's global options). `connect.ts` picks the implementation. */
export interface ConnectOptions {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  file?: string;
  demo?: boolean;
  requestTimeoutMs: number;
  /** Every write is refused and capabilities() reports nothing writable. */
  readOnly?: boolean;
}

/** A kubeconfig context, for the TUI's context picker. */
export interface ContextInfo {
  name: string;
  cluster: string;
  server?: string;
  namespace?: string;
  current: boolean;
}
