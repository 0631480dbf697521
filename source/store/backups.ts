// Backups of dex-config before every write: the rollback copy epinio-formats.md §7.1 asks for.
// One JSON file per backup, mode 0600 in a 0700 directory (they hold secret values), under
// $XDG_STATE_HOME/epinio-dex-admin/backups (default ~/.local/state/...). File names carry the time
// and a slug of the target (context/namespace or manifest path), never a value, and only the
// newest KEEP per target are kept.
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { debug } from '../debug.js';
import { StoreError } from './errors.js';
import type { BackupContent, BackupInfo, SecretObject } from './types.js';

export const KEEP = 20;

export interface BackupFile {
  version: 1;
  takenAt: string;
  /** Display form of the target, e.g. `cluster kind-dev, namespace epinio`. */
  location: string;
  target: string;
  secret: { name: string; namespace: string; resourceVersion: string };
  data: Record<string, string>;
}

function infoOf(id: string, b: BackupFile): BackupInfo {
  return { id, takenAt: b.takenAt, location: b.location, keys: Object.keys(b.data).sort() };
}

export function backupDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'epinio-dex-admin', 'backups');
}

/** `<slug>-<hash>`: readable, filesystem-safe, unique per target. */
function targetTag(target: string): string {
  const slug = target
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(-40);
  const hash = createHash('sha256').update(target).digest('hex').slice(0, 10);
  return `${slug}-${hash}`;
}

function timeTag(date: Date): string {
  // 2024-05-01T12-30-05-123Z sorts by time as a string.
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * Backups hold every secret of dex-config, and a restore writes one back to the cluster: the
 * directory and its files must be the user's own and writable by nobody else, and are never
 * followed through a symbolic link (a planted link would send the secrets, or take a planted
 * "backup", wherever it points).
 */
class UntrustedBackupError extends StoreError {
  constructor(message: string, hint?: string) {
    super('FileError', message, hint);
  }
}

function checkOwnAndPrivate(what: string, path: string, st: { uid: number; mode: number }): void {
  const me = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (me !== undefined && st.uid !== me)
    throw new UntrustedBackupError(
      `${what} ${path} belongs to uid ${st.uid}, not to you (uid ${me}); backups there are neither read nor written`,
      'set XDG_STATE_HOME to a directory of your own',
    );
  if (st.mode & 0o022)
    throw new UntrustedBackupError(
      `${what} ${path} is writable by group or others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); backups there are neither read nor written`,
      `chmod go-w ${path} (the tool keeps it 0700), or set XDG_STATE_HOME to a private directory`,
    );
}

/** Refuses a backups directory that is a symbolic link, not a directory, foreign or shared. */
async function checkDir(dir: string): Promise<boolean> {
  let st;
  try {
    st = await lstat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (st.isSymbolicLink())
    throw new UntrustedBackupError(
      `the backups directory ${dir} is a symbolic link; backups are never read or written through one`,
      'replace the link by a directory of your own, or set XDG_STATE_HOME to a private directory',
    );
  if (!st.isDirectory()) throw new UntrustedBackupError(`the backups directory ${dir} is not a directory`);
  checkOwnAndPrivate('the backups directory', dir, st);
  return true;
}

async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await checkDir(dir);
  // mkdir's mode does not apply to a directory that already existed.
  await chmod(dir, 0o700);
}

/** A backup file's text: opened without following a link, checked on the open descriptor. */
async function readPrivate(path: string): Promise<string> {
  let fh;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP')
      throw new UntrustedBackupError(
        `the backup ${path} is a symbolic link; backups are never read through one`,
        'remove it: a backup is always a regular file written by this tool',
      );
    throw err;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new UntrustedBackupError(`the backup ${path} is not a regular file`);
    checkOwnAndPrivate('the backup', path, st);
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

async function idsFor(dir: string, target: string): Promise<string[]> {
  const suffix = `--${targetTag(target)}.json`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(suffix))
    .map((n) => n.slice(0, -'.json'.length))
    .sort();
}

export class Backups {
  constructor(
    /** Identifies what is backed up: cluster server + context + namespace, or the manifest path. */
    readonly target: string,
    readonly location: string,
    readonly dir: string = backupDir(),
  ) {}

  async write(secret: SecretObject, now = new Date()): Promise<BackupInfo> {
    const content: BackupFile = {
      version: 1,
      takenAt: now.toISOString(),
      location: this.location,
      target: this.target,
      secret: { name: secret.name, namespace: secret.namespace, resourceVersion: secret.resourceVersion },
      data: secret.data,
    };
    const id = `${timeTag(now)}-${randomBytes(3).toString('hex')}--${targetTag(this.target)}`;
    const path = join(this.dir, `${id}.json`);
    try {
      await ensureDir(this.dir);
      // 'wx' + 0600: created private from the first byte, never over another file.
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(JSON.stringify(content, null, 2) + '\n');
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      if (err instanceof UntrustedBackupError) throw err;
      // A file cut short (full disk) would be listed as a backup that cannot be restored.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(path).catch(() => undefined);
      throw new StoreError(
        'FileError',
        `cannot write the backup in ${this.dir}: ${(err as Error).message}; nothing was saved`,
        'free space or fix permissions there, or set XDG_STATE_HOME to a writable directory',
      );
    }
    debug(`backup written: ${id}`);
    await this.prune();
    return { id, takenAt: content.takenAt, location: this.location, keys: Object.keys(secret.data).sort() };
  }

  private async prune(): Promise<void> {
    const ids = await idsFor(this.dir, this.target);
    for (const id of ids.slice(0, Math.max(0, ids.length - KEEP))) {
      await unlink(join(this.dir, `${id}.json`)).catch(() => undefined);
    }
  }

  /** Newest first. */
  async list(): Promise<BackupInfo[]> {
    if (!(await checkDir(this.dir))) return [];
    const ids = (await idsFor(this.dir, this.target)).reverse();
    const out: BackupInfo[] = [];
    for (const id of ids) {
      try {
        out.push(infoOf(id, await this.read(id)));
      } catch (err) {
        // A damaged file is skipped; a planted or exposed one stops the listing with the reason.
        if (err instanceof UntrustedBackupError) throw err;
      }
    }
    return out;
  }

  /** One backup's keys and values: what a restore would write, for its preview. */
  async content(id: string): Promise<BackupContent> {
    const file = await this.read(id);
    return { ...infoOf(id, file), data: { ...file.data } };
  }

  async read(id: string): Promise<BackupFile> {
    if (!/^[A-Za-z0-9._-]+$/.test(id) || !id.endsWith(`--${targetTag(this.target)}`)) {
      throw new StoreError(
        'NotFound',
        `backup "${id}" not found for ${this.location}`,
        'list the backups to see valid ids',
      );
    }
    await checkDir(this.dir);
    let text: string;
    try {
      text = await readPrivate(join(this.dir, `${id}.json`));
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(
        'NotFound',
        `backup "${id}" not found in ${this.dir}`,
        'list the backups to see valid ids',
      );
    }
    let parsed: BackupFile;
    try {
      parsed = JSON.parse(text) as BackupFile;
    } catch {
      throw new StoreError(
        'FileError',
        `backup "${id}" is damaged (not valid JSON) and cannot be restored`,
        'list the backups and choose another one',
      );
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      parsed.version !== 1 ||
      typeof parsed.data !== 'object' ||
      parsed.data === null
    ) {
      throw new StoreError('FileError', `backup "${id}" is not a backup this tool can read`);
    }
    return parsed;
  }
}
