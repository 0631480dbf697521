// Backups of dex-config before every write: the rollback copy epinio-formats.md §7.1 asks for.
// One JSON file per backup, mode 0600 in a 0700 directory (they hold secret values), under
// $XDG_STATE_HOME/epinio-dex-admin/backups (default ~/.local/state/...). File names carry the time
// and a slug of the target (context/namespace or manifest path), never a value, and only the
// newest KEEP per target are kept.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, readdir, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { debug } from '../debug.js';
import { StoreError } from './errors.js';
import type { BackupInfo, SecretObject } from './types.js';

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

async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode does not apply to a directory that already existed.
  await chmod(dir, 0o700);
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
    const ids = (await idsFor(this.dir, this.target)).reverse();
    const out: BackupInfo[] = [];
    for (const id of ids) {
      try {
        const b = await this.read(id);
        out.push({ id, takenAt: b.takenAt, location: b.location, keys: Object.keys(b.data).sort() });
      } catch {
        // An unreadable or foreign file is skipped rather than failing the list.
      }
    }
    return out;
  }

  async read(id: string): Promise<BackupFile> {
    if (!/^[A-Za-z0-9._-]+$/.test(id) || !id.endsWith(`--${targetTag(this.target)}`)) {
      throw new StoreError(
        'NotFound',
        `backup "${id}" not found for ${this.location}`,
        'list the backups to see valid ids',
      );
    }
    let text: string;
    try {
      text = await readFile(join(this.dir, `${id}.json`), 'utf8');
    } catch {
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
