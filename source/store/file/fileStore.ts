// The Store over a manifest file (--file PATH). Every write re-reads the file and checks the edited
// object's content hash (its resourceVersion here) against the version the edit was based on, the
// same precondition the API server applies; so a change made by someone else is never overwritten:
// dex-config rebases when they touched other keys, anything else is a ConflictError. Saves are atomic
// (temp file in the same directory, fsync, rename) and keep the file's mode.
//
// restartDex: there is no cluster behind a file, so it throws a StoreError saying so (a no-op that
// looked successful would let an operator believe Dex picked up the change).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { debug } from '../../debug.js';
import { Backups } from '../backups.js';
import { NotFoundError, StoreError, readOnlyError } from '../errors.js';
import { DEX_CONFIG, NOT_FOUND_DEX, ROLE_LABEL, ROLES_ANNOTATION, USER_LABEL } from '../../domain/names.js';
import {
  userConflict,
  configMapFromRaw,
  newUserSecret,
  refuseExistingUser,
  secretFromRaw,
} from '../objects.js';
import { saveWithRebase } from '../rebase.js';
import type {
  Backend,
  BackupInfo,
  Capabilities,
  ConfigMapObject,
  Location,
  NewUser,
  RolloutProgress,
  SaveDexConfigRequest,
  SaveDexConfigResult,
  SecretObject,
  Snapshot,
  Store,
} from '../types.js';
import { Manifest, type ManifestObject } from './manifest.js';

export interface FileStoreOptions {
  namespace?: string;
  readOnly?: boolean;
  backend?: Backend;
  /** Where backups go (tests); default backupDir(). */
  backupDir?: string;
}

export async function createFileStore(path: string, options: FileStoreOptions = {}): Promise<FileStore> {
  const full = resolve(path);
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
  return new StoreError(
    'FileError',
    `cannot ${doing} ${path}: ${(err as Error).message}`,
    'check the file and its directory permissions',
  );
}

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

  async read(): Promise<Manifest> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      throw fileError(this.path, err, 'read');
    }
    return Manifest.parse(text, this.path);
  }

  private inNamespace(o: ManifestObject): boolean {
    return (o.namespace ?? this.namespace) === this.namespace;
  }

  private secret(o: ManifestObject): SecretObject {
    return secretFromRaw(o.raw, this.namespace, o.rv);
  }

  private dexObject(m: Manifest): ManifestObject {
    const o = m.find('Secret', DEX_CONFIG, this.namespace);
    if (!o)
      throw new NotFoundError(
        'secrets',
        DEX_CONFIG,
        this.namespace,
        `${NOT_FOUND_DEX}; the file ${this.path} has no such Secret`,
      );
    return o;
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
  private async notWritable(): Promise<string | undefined> {
    if (this.options.readOnly) return 'started with --read-only';
    try {
      const st = await stat(this.path);
      if ((st.mode & 0o222) === 0)
        return `the file ${this.path} is read-only (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`;
      await access(this.path, constants.W_OK);
    } catch {
      return `the file ${this.path} is not writable`;
    }
    try {
      await access(dirname(this.path), constants.W_OK);
    } catch {
      return `the directory ${dirname(this.path)} is not writable (saving replaces the file atomically)`;
    }
    return undefined;
  }

  private async guard(): Promise<void> {
    const why = await this.notWritable();
    if (why)
      throw readOnlyError(
        why,
        why.startsWith('started') ? undefined : 'make the file writable (or save a copy) to change anything',
      );
  }

  /** Atomic replace: a crash leaves either the old or the new file, never half of one. */
  private async writeText(text: string): Promise<void> {
    const check = Manifest.parse(text, this.path); // never write a file we could not read back
    void check;
    const dir = dirname(this.path);
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const mode = (await stat(this.path)).mode & 0o7777;
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await chmod(tmp, mode);
      await rename(tmp, this.path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw fileError(this.path, err, 'save');
    }
    try {
      const d = await open(dir, 'r');
      await d.sync().catch(() => undefined);
      await d.close();
    } catch {
      // Directory fsync is best effort (not supported everywhere).
    }
    debug(`saved ${this.path}`);
  }

  /** Re-reads the file, finds the object, checks the precondition, writes the edit. */
  private async editObject(
    kind: string,
    name: string,
    baseRv: string,
    edit: (m: Manifest, o: ManifestObject) => string,
  ): Promise<{ written: SecretObject } | { conflict: ManifestObject }> {
    const m = await this.read();
    const o = m.find(kind, name, this.namespace);
    if (!o)
      throw new NotFoundError('secrets', name, this.namespace, `it is no longer in ${this.path}; reload`);
    if (o.rv !== baseRv) return { conflict: o };
    const text = edit(m, o);
    const after = Manifest.parse(text, this.path).find(kind, name, this.namespace);
    if (!after)
      throw new StoreError('FileError', `internal error: the edit lost ${kind} ${name}; nothing was written`);
    await this.writeText(text);
    return { written: this.secret(after) };
  }

  async saveDexConfig(request: SaveDexConfigRequest): Promise<SaveDexConfigResult> {
    await this.guard();
    return saveWithRebase(
      {
        write: async (current, changes) => {
          const r = await this.editObject('Secret', DEX_CONFIG, current.resourceVersion, (m, o) =>
            m.setSecretData(o, changes),
          );
          return 'written' in r ? r.written : 'conflict';
        },
        fetch: () => this.getDexConfig(),
        backup: (previous) => this.backups.write(previous),
      },
      request,
    );
  }

  private async userEdit(
    user: SecretObject,
    edit: (m: Manifest, o: ManifestObject) => string,
  ): Promise<SecretObject> {
    await this.guard();
    const r = await this.editObject('Secret', user.name, user.resourceVersion, edit);
    if ('written' in r) return r.written;
    throw userConflict(user, this.secret(r.conflict));
  }

  setUserPassword(user: SecretObject, passwordHash: string): Promise<SecretObject> {
    return this.userEdit(user, (m, o) => m.setSecretData(o, { password: passwordHash }));
  }

  setUserRoles(user: SecretObject, rolesAnnotation: string): Promise<SecretObject> {
    return this.userEdit(user, (m, o) => m.setAnnotation(o, ROLES_ANNOTATION, rolesAnnotation));
  }

  async createUser(user: NewUser): Promise<SecretObject> {
    await this.guard();
    const m = await this.read();
    refuseExistingUser(this.users(m), user.username);
    const body = await newUserSecret(user, this.namespace);
    const name = body.metadata.name;
    if (m.find('Secret', name, this.namespace)) {
      throw new StoreError(
        'Conflict',
        `a Secret named ${name} already exists in ${this.path} but is not a user with username ${user.username}`,
      );
    }
    const text = m.appendObject(body);
    const created = Manifest.parse(text, this.path).find('Secret', name, this.namespace);
    if (!created)
      throw new StoreError(
        'FileError',
        `internal error: the new user was not in the result; nothing was written`,
      );
    await this.writeText(text);
    return this.secret(created);
  }

  async deleteUser(user: SecretObject): Promise<void> {
    await this.guard();
    const m = await this.read();
    const o = m.find('Secret', user.name, this.namespace);
    if (!o)
      throw new NotFoundError(
        'secrets',
        user.name,
        this.namespace,
        `it is no longer in ${this.path}; reload`,
      );
    if (o.rv !== user.resourceVersion) throw userConflict(user, this.secret(o));
    await this.writeText(m.removeObject(o));
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
    const why = await this.notWritable();
    const noCluster = `no cluster: Dex cannot be restarted from a file (${this.path})`;
    if (why)
      return { writeDexConfig: false, writeUsers: false, restartDex: false, reasons: [why, noCluster] };
    return { writeDexConfig: true, writeUsers: true, restartDex: false, reasons: [noCluster] };
  }

  listBackups(): Promise<BackupInfo[]> {
    return this.backups.list();
  }

  async restoreBackup(id: string): Promise<SaveDexConfigResult> {
    await this.guard();
    const backup = await this.backups.read(id);
    const current = await this.getDexConfig();
    return this.saveDexConfig({ base: current, changes: { ...backup.data } });
  }
}
