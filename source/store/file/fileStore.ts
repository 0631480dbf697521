// The Store over a manifest file (--file PATH). Every write takes the file's lock, re-reads the file
// and checks the edited object's content hash (its resourceVersion here) against the version the
// edit was based on, the same precondition the API server applies; so a change made by someone else
// is never overwritten: dex-config rebases when they touched other keys, anything else is a
// ConflictError. The file is replaced only if it is still the version that was read (safeWrite.ts):
// through a symlink to its target, keeping owner, group, mode and hard links.
//
// restartDex: there is no cluster behind a file, so it throws a StoreError saying so (a no-op that
// looked successful would let an operator believe Dex picked up the change).
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { debug } from '../../debug.js';
import { Backups } from '../backups.js';
import { NotFoundError, StoreError, readOnlyError } from '../errors.js';
import { DEX_CONFIG, NOT_FOUND_DEX, ROLE_LABEL, ROLES_ANNOTATION, USER_LABEL } from '../../domain/names.js';
import { applyChanges } from '../../domain/objects.js';
import {
  changedParts,
  userConflict,
  configMapFromRaw,
  newUserSecret,
  refuseExistingUser,
  secretFromRaw,
} from '../objects.js';
import { saveWithRebase } from '../rebase.js';
import { readHistoryState, sessionHistory, withRevision } from '../history.js';
import type { HistoryState } from '../types.js';
import type {
  Backend,
  BackupContent,
  BackupInfo,
  Capabilities,
  ConfigMapObject,
  Location,
  Login,
  NewUser,
  RolloutProgress,
  SaveDexConfigRequest,
  SaveDexConfigResult,
  SecretObject,
  Snapshot,
  Store,
} from '../types.js';
import { manifestLogins } from './fileLogins.js';
import { decodeManifest } from './manifestText.js';
import { Manifest, type ManifestObject } from './manifest.js';
import {
  FileChangedError,
  readVersioned,
  recoverLeftovers,
  replaceVerified,
  withFileLock,
  type FileVersion,
} from './safeWrite.js';

export interface FileStoreOptions {
  namespace?: string;
  readOnly?: boolean;
  backend?: Backend;
  /** Where backups go (tests); default backupDir(). */
  backupDir?: string;
  /** How long a save waits for another process's lock (default 10 s). */
  lockWaitMs?: number;
}

export async function createFileStore(path: string, options: FileStoreOptions = {}): Promise<FileStore> {
  const full = resolve(path);
  // What a save killed mid-way left beside the file (the file itself, if it was moved aside).
  const target = await realpath(full).catch(() => full);
  for (const done of await recoverLeftovers(target)) debug(done);
  try {
    await stat(full);
  } catch (err) {
    throw new StoreError(
      'FileError',
      `cannot open ${full}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      'check the path given to --file',
    );
  }
  const store = new FileStore(full, options);
  // Parse once now so a broken file fails at startup with its line number.
  await store.read();
  return store;
}

function fileError(path: string, err: unknown, doing: string): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError(
    'FileError',
    `cannot ${doing} ${path}: ${(err as Error).message}`,
    'check the file and its directory permissions',
  );
}

/** A Secret edit: data keys (null deletes) or one annotation. */
type Change = { data: Record<string, string | null> } | { annotation: [string, string] };

/** A write: the new text and what to return, or only what to return (nothing to write). */
type Plan<T> = { text?: string; value: T };

/** Saves after which the file kept changing under us (each attempt re-reads and re-checks). */
const MAX_FILE_ATTEMPTS = 5;

export class FileStore implements Store {
  readonly location: Location;
  private readonly namespace: string;
  private readonly backups: Backups;

  constructor(
    readonly path: string,
    private readonly options: FileStoreOptions,
  ) {
    this.namespace = options.namespace ?? 'epinio';
    this.location = { backend: options.backend ?? 'file', namespace: this.namespace, file: path };
    this.backups = new Backups(`file ${path} ${this.namespace}`, `file ${path}`, options.backupDir);
  }

  /** The file a save replaces: the target of a symlink (which stays a link). */
  private async target(): Promise<string> {
    try {
      return await realpath(this.path);
    } catch (err) {
      throw fileError(this.path, err, 'read');
    }
  }

  /** The last file read and its version: an unchanged file (same hash, size, mtime, inode) is not
   *  parsed again (open, then the command's or the UI's load, then a save's re-read). */
  private last?: { m: Manifest; version: FileVersion };

  private async load(target: string): Promise<{ m: Manifest; version: FileVersion }> {
    let read;
    try {
      read = await readVersioned(target);
    } catch (err) {
      throw fileError(this.path, err, 'read');
    }
    const { version } = read;
    const last = this.last;
    if (
      last &&
      last.version.sha === version.sha &&
      last.version.size === version.size &&
      last.version.mtimeMs === version.mtimeMs &&
      last.version.ino === version.ino
    )
      return last;
    this.last = { m: Manifest.parse(decodeManifest(read.bytes, this.path), this.path), version };
    return this.last;
  }

  async read(): Promise<Manifest> {
    return (await this.load(await this.target())).m;
  }

  /**
   * The read-check-write under the file's lock: `plan` sees the file as it is now and says what to
   * write; the file is replaced only if it is still that version. When another writer changed it
   * meanwhile, the plan runs again on their version (its own precondition decides whether that is a
   * conflict).
   */
  private async mutate<T>(plan: (m: Manifest) => Plan<T>): Promise<T> {
    const target = await this.target();
    for (let attempt = 0; attempt < MAX_FILE_ATTEMPTS; attempt++) {
      const done = await this.locked(
        target,
        async () => {
          const { m, version } = await this.load(target);
          const p = plan(m);
          if (p.text === undefined) return p;
          try {
            await replaceVerified(target, p.text, version);
          } catch (err) {
            if (err instanceof FileChangedError) {
              debug(`${this.path}: ${err.message}; re-reading`);
              return undefined;
            }
            throw fileError(this.path, err, 'save');
          }
          debug(`saved ${this.path}`);
          return p;
        },
        this.options.lockWaitMs,
      );
      if (done) return done.value;
    }
    throw new StoreError(
      'Conflict',
      `conflict: ${this.path} kept changing while saving (${MAX_FILE_ATTEMPTS} attempts); nothing was written`,
      'try again when the other writer is done',
    );
  }

  /** withFileLock, its own failures (a full disk, a read-only directory) as file errors. */
  private async locked<T>(target: string, fn: () => Promise<T>, waitMs?: number): Promise<T> {
    try {
      return await withFileLock(target, fn, waitMs);
    } catch (err) {
      throw fileError(this.path, err, 'save');
    }
  }

  private inNamespace(o: ManifestObject): boolean {
    return (o.namespace ?? this.namespace) === this.namespace;
  }

  private secret(o: ManifestObject): SecretObject {
    return secretFromRaw(o.raw, this.namespace, o.rv);
  }

  /** The one object of that kind and name; two of them are refused (which one would kubectl keep?). */
  private one(m: Manifest, kind: string, name: string): ManifestObject | undefined {
    const all = m.findAll(kind, name, this.namespace);
    if (all.length > 1) {
      const lines = all.map((o) => m.lineOf(o));
      throw new StoreError(
        'FileError',
        `${this.path} has ${all.length} ${kind} objects named "${name}" in namespace "${this.namespace}" (lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}); nothing was loaded or written`,
        'remove all but one of them (kubectl apply would keep only the last), then load the file again',
      );
    }
    return all[0];
  }

  private dexObject(m: Manifest): ManifestObject {
    const o = this.one(m, 'Secret', DEX_CONFIG);
    if (o) return o;
    if (!m.objects.length)
      throw new StoreError(
        'FileError',
        `${this.path} holds no Kubernetes objects (no document or List item with a kind and a metadata.name)`,
        `--file takes what this writes: kubectl get secret,configmap -n ${this.namespace} -o yaml > FILE`,
      );
    const elsewhere = m.objects.find((c) => c.kind === 'Secret' && c.name === DEX_CONFIG);
    throw new NotFoundError(
      'secrets',
      DEX_CONFIG,
      this.namespace,
      elsewhere
        ? `the file ${this.path} has it in namespace "${elsewhere.namespace ?? ''}": use -n ${elsewhere.namespace ?? ''}`
        : `${NOT_FOUND_DEX}; the file ${this.path} has no such Secret`,
    );
  }

  async loadSnapshot(): Promise<Snapshot> {
    const m = await this.read();
    return {
      location: this.location,
      dexConfig: this.secret(this.dexObject(m)),
      users: this.users(m),
      roleConfigMaps: this.roles(m),
    };
  }

  async getDexConfig(): Promise<SecretObject> {
    return this.secret(this.dexObject(await this.read()));
  }

  private users(m: Manifest): SecretObject[] {
    return m.objects
      .filter(
        (o) => o.kind === 'Secret' && this.inNamespace(o) && o.raw.metadata?.labels?.[USER_LABEL] === 'true',
      )
      .map((o) => this.secret(o));
  }

  private roles(m: Manifest): ConfigMapObject[] {
    return m.objects
      .filter(
        (o) =>
          o.kind === 'ConfigMap' && this.inNamespace(o) && o.raw.metadata?.labels?.[ROLE_LABEL] === 'true',
      )
      .map((o) => configMapFromRaw(o.raw, this.namespace, o.rv));
  }

  async listUsers(): Promise<SecretObject[]> {
    return this.users(await this.read());
  }

  async listRoleConfigMaps(): Promise<ConfigMapObject[]> {
    return this.roles(await this.read());
  }

  /** Why the file cannot be written, or undefined when it can. Root ignores permission bits, so
   *  a file without any write bit counts as read-only too: that is what its owner meant. */
  private async notWritable(): Promise<{ why: string; hint: string } | undefined> {
    let target: string;
    try {
      target = await realpath(this.path);
      const st = await stat(target);
      const owner = `owner ${st.uid}:${st.gid}`;
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      const hint = `it is mode ${mode}, ${owner}: make it writable (chmod u+w ${this.path}) or work on a copy`;
      if ((st.mode & 0o222) === 0) return { why: `the file ${this.path} is read-only (mode ${mode})`, hint };
      try {
        await access(target, constants.W_OK);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EROFS')
          return {
            why: `the file ${this.path} is on a read-only file system`,
            hint: `remount it read-write, or work on a copy of ${this.path} elsewhere`,
          };
        return { why: `the file ${this.path} is not writable by this user (mode ${mode}, ${owner})`, hint };
      }
    } catch {
      return { why: `the file ${this.path} is not writable`, hint: 'check the file and its permissions' };
    }
    try {
      await access(dirname(target), constants.W_OK);
    } catch {
      return {
        why: `the directory ${dirname(target)} is not writable (a save writes a temp copy and a lock file beside the file)`,
        hint: `make the directory writable, or work on a copy of ${this.path} in a writable directory`,
      };
    }
    return undefined;
  }

  /** --read-only is the operator's choice (the RBAC-like refusal); a file mode is a file error. */
  private async guard(): Promise<void> {
    if (this.options.readOnly) throw readOnlyError();
    const no = await this.notWritable();
    if (no) throw new StoreError('FileError', `cannot save: ${no.why}; nothing was written`, no.hint);
  }

  /** Finds the object, checks the precondition, edits it, and checks that the edited object reads
   *  back as exactly the intended change: the plan of one object's write. */
  private editPlan(
    m: Manifest,
    name: string,
    baseRv: string,
    change: Change,
  ): Plan<{ written: SecretObject } | { conflict: ManifestObject }> {
    const o = this.one(m, 'Secret', name);
    if (!o)
      throw new NotFoundError('secrets', name, this.namespace, `it is no longer in ${this.path}; reload`);
    if (o.rv !== baseRv) return { value: { conflict: o } };
    const { text, object } =
      'data' in change ? m.setSecretData(o, change.data) : m.setAnnotation(o, ...change.annotation);
    const before = this.secret(o);
    const written = this.secret(object);
    const intended =
      'data' in change
        ? { ...before, data: applyChanges(before.data, change.data) }
        : { ...before, annotations: { ...before.annotations, [change.annotation[0]]: change.annotation[1] } };
    const off = changedParts(intended, written);
    if (off.length)
      throw new StoreError(
        'FileError',
        `internal error: the edit of ${name} in ${this.path} would not read back as intended (${off.join(', ')}); nothing was written`,
      );
    return { text, value: { written } };
  }

  async saveDexConfig(request: SaveDexConfigRequest): Promise<SaveDexConfigResult> {
    await this.guard();
    let replaced: SecretObject | undefined;
    const result = await saveWithRebase(
      {
        write: async (current, changes) => {
          replaced = current;
          const r = await this.mutate((m) =>
            this.editPlan(m, DEX_CONFIG, current.resourceVersion, { data: changes }),
          );
          return 'written' in r ? r.written : 'conflict';
        },
        fetch: () => this.getDexConfig(),
        backup: (previous) => this.backups.write(previous),
      },
      request,
    );
    // File and demo modes keep the revisions of this run in memory (store/history.ts).
    return withRevision(this.history, request, replaced, result);
  }

  /** This run's revisions (no shared history without a cluster). */
  private readonly history = sessionHistory();

  readHistory(): Promise<HistoryState> {
    return readHistoryState(this.history);
  }

  private async userEdit(user: SecretObject, change: Change): Promise<SecretObject> {
    await this.guard();
    const r = await this.mutate((m) => this.editPlan(m, user.name, user.resourceVersion, change));
    if ('written' in r) return r.written;
    throw userConflict(user, this.secret(r.conflict));
  }

  setUserPassword(user: SecretObject, passwordHash: string): Promise<SecretObject> {
    return this.userEdit(user, { data: { password: passwordHash } });
  }

  setUserRoles(user: SecretObject, rolesAnnotation: string): Promise<SecretObject> {
    return this.userEdit(user, { annotation: [ROLES_ANNOTATION, rolesAnnotation] });
  }

  async createUser(user: NewUser): Promise<SecretObject> {
    await this.guard();
    const body = await newUserSecret(user, this.namespace);
    const name = body.metadata.name;
    return this.mutate((m) => {
      refuseExistingUser(this.users(m), user.username);
      if (m.find('Secret', name, this.namespace)) {
        throw new StoreError(
          'Conflict',
          `a Secret named ${name} already exists in ${this.path} but is not a user with username ${user.username}`,
        );
      }
      const { text, object } = m.appendObject(body);
      return { text, value: this.secret(object) };
    });
  }

  async deleteUser(user: SecretObject): Promise<void> {
    await this.guard();
    await this.mutate((m) => {
      const o = this.one(m, 'Secret', user.name);
      if (!o)
        throw new NotFoundError(
          'secrets',
          user.name,
          this.namespace,
          `it is no longer in ${this.path}; reload`,
        );
      if (o.rv !== user.resourceVersion) throw userConflict(user, this.secret(o));
      return { text: m.removeObject(o), value: undefined };
    });
  }

  async restartDex(_options: {
    wait: boolean;
    timeoutMs: number;
    onProgress?: (p: RolloutProgress) => void;
  }): Promise<RolloutProgress> {
    throw new StoreError(
      'FileError',
      `there is no cluster to restart Dex in: this session edits the file ${this.path}`,
      `after applying the file, restart Dex with: kubectl rollout restart deployment/dex -n ${this.namespace}`,
    );
  }

  async capabilities(): Promise<Capabilities> {
    const no = this.options.readOnly ? { why: 'started with --read-only' } : await this.notWritable();
    const noCluster = `no cluster: Dex cannot be restarted from a file (${this.path})`;
    if (no)
      return { writeDexConfig: false, writeUsers: false, restartDex: false, reasons: [no.why, noCluster] };
    return { writeDexConfig: true, writeUsers: true, restartDex: false, reasons: [noCluster] };
  }

  listBackups(): Promise<BackupInfo[]> {
    return this.backups.list();
  }

  readBackup(id: string): Promise<BackupContent> {
    return this.backups.content(id);
  }

  async restoreBackup(id: string): Promise<SaveDexConfigResult> {
    await this.guard();
    const backup = await this.backups.read(id);
    const current = await this.getDexConfig();
    return this.saveDexConfig({ base: current, changes: { ...backup.data }, record: { kind: 'restore' } });
  }

  async listLogins(): Promise<Login[]> {
    const m = await this.read();
    let dexConfig: SecretObject | undefined;
    try {
      dexConfig = this.secret(this.dexObject(m));
    } catch {
      dexConfig = undefined;
    }
    return manifestLogins(m.objects, this.namespace, this.path, dexConfig);
  }
}
