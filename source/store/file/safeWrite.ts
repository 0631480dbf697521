// Saving a file that others may be writing too, without losing their write or ours.
//
// - A lock file (`.NAME.lock` beside the file, created with O_EXCL) is held for the whole
//   read-check-write: other epinio-dex-admin processes wait for it. Node has no flock(), and
//   advisory locks bind only those who take them, so it is stale-checked (a lock of a dead process
//   on this host is broken) and the writers that ignore it are handled by the next point.
// - Immediately before the file is replaced, its content (SHA-256) and stat (size, mtime, inode) are
//   checked against the version the edit was based on. The replace itself moves the old file aside
//   (rename), checks that what moved is that version, and puts the new one in with link(), which
//   fails if anyone created the file meanwhile: a writer that renames its own temp file over the
//   file (sed -i, kubectl, most editors) can never be overwritten, its write wins and ours is a
//   conflict. A writer that writes in place (truncate + write) is caught unless its write lands in
//   the microseconds between the last check and the end of the swap.
// - A file with other hard links, or an owner this process cannot give a new file, is written in
//   place from a verified temp copy (a rename would split the links or change the owner).
// - Temp files are 0600 while they hold the text, are removed on every exit path (errors, SIGTERM,
//   SIGINT, SIGHUP, process.exit), and leftovers of a killed process are removed at the next open.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import {
  chmod,
  copyFile,
  link,
  open,
  readFile,
  readdir,
  rename,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { StoreError } from '../errors.js';

export interface FileVersion {
  sha: string;
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
}

/** The file is not the version the edit was based on: the caller reports a conflict. */
export class FileChangedError extends Error {
  constructor(why: string) {
    super(`the file changed while saving: ${why}`);
  }
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function sameVersion(a: FileVersion, b: FileVersion): string | undefined {
  if (a.ino !== b.ino || a.dev !== b.dev) return 'it was replaced';
  if (a.size !== b.size) return 'its size changed';
  if (a.mtimeMs !== b.mtimeMs) return 'its modification time changed';
  if (a.sha !== b.sha) return 'its content changed';
  return undefined;
}

/** Reads a file and the version it was read at (one open: content and stat of the same inode).
 *  A save by another process of this tool moves the file aside for microseconds: ENOENT is retried. */
export async function readVersioned(path: string): Promise<{ bytes: Buffer; version: FileVersion }> {
  for (let attempt = 0; ; attempt++) {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 20) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      throw err;
    }
    try {
      const st = await fh.stat();
      const bytes = await fh.readFile();
      return {
        bytes,
        version: { sha: sha(bytes), size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev },
      };
    } finally {
      await fh.close();
    }
  }
}

async function versionOf(path: string): Promise<FileVersion> {
  return (await readVersioned(path)).version;
}

// ---- cleanup on every exit path ------------------------------------------------------------

const cleanups = new Set<() => void>();
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
const onSignal = (signal: NodeJS.Signals): void => {
  runCleanups();
  // Alone on this signal: do what Node would have done without us (die of it).
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
};
const runCleanups = (): void => {
  for (const c of [...cleanups]) {
    cleanups.delete(c);
    try {
      c();
    } catch {
      // Best effort: the next open removes what is left.
    }
  }
};
function install(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', runCleanups);
}
function uninstall(): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.removeListener('exit', runCleanups);
}

/** Runs `fn` on exit or a signal until the returned function is called. */
function onExit(fn: () => void): () => void {
  if (!cleanups.size) install();
  cleanups.add(fn);
  return () => {
    cleanups.delete(fn);
    if (!cleanups.size) uninstall();
  };
}

// ---- names beside the file -----------------------------------------------------------------

const tag = (): string => `${process.pid}.${randomBytes(4).toString('hex')}`;
const lockName = (target: string): string => join(dirname(target), `.${basename(target)}.lock`);
/** `.NAME.<pid>.<hex>.<kind>`: temp copy, the old file during the swap, an in-place source. */
const besideName = (target: string, kind: 'tmp' | 'aside' | 'inplace'): string =>
  join(dirname(target), `.${basename(target)}.${tag()}.${kind}`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Leftovers of a process that died while saving (SIGKILL, power loss): its lock and a temp copy are removed; the
 * old file moved aside during the swap goes back when the file is missing; the source of an
 * interrupted in-place write is removed when the file has its content, else reported.
 */
export async function recoverLeftovers(target: string): Promise<string[]> {
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const done: string[] = [];
  const holder = await readLock(lockName(target));
  if (typeof holder === 'object' && holder.host === hostname() && !alive(holder.pid)) {
    await unlink(lockName(target)).catch(() => undefined);
    done.push(`removed the lock of process ${holder.pid}, which is gone`);
  }
  for (const name of names) {
    const m = /^(\d+)\.[0-9a-f]{8}\.(tmp|aside|inplace)$/.exec(
      name.startsWith(prefix) ? name.slice(prefix.length) : '',
    );
    if (!m || alive(Number(m[1]))) continue;
    const file = join(dir, name);
    if (m[2] === 'tmp') {
      await unlink(file).catch(() => undefined);
      done.push(`removed ${file} (temp file of process ${m[1]}, which is gone)`);
    } else if (m[2] === 'aside') {
      if (!existsSync(target)) {
        await rename(file, target);
        done.push(`restored ${target} from ${file} (process ${m[1]} died while replacing it)`);
      } else {
        await unlink(file).catch(() => undefined);
        done.push(`removed ${file} (old version left by process ${m[1]})`);
      }
    } else {
      const [copy, current] = await Promise.all([readFile(file), readFile(target).catch(() => undefined)]);
      if (current && copy.equals(current)) {
        await unlink(file);
        done.push(`removed ${file} (its in-place write had completed)`);
      } else {
        throw new StoreError(
          'FileError',
          `a save into ${target} was interrupted while writing it in place (process ${m[1]}): the complete new version is in ${file}`,
          `compare the two and keep one (mv ${file} ${target} restores that save), then start again`,
        );
      }
    }
  }
  return done;
}

// ---- the lock ------------------------------------------------------------------------------

interface LockBody {
  pid: number;
  host: string;
  since: string;
  nonce: string;
}

/** Holds the lock file for the duration of `fn`, waiting up to `waitMs` for another holder. */
export async function withFileLock<T>(target: string, fn: () => Promise<T>, waitMs = 10_000): Promise<T> {
  const lock = lockName(target);
  const body: LockBody = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  const text = JSON.stringify(body);
  const deadline = Date.now() + waitMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      try {
        writeSync(fd, text);
      } catch (err) {
        // A full disk: no half-made lock stays behind.
        unlinkSync(lock);
        throw err;
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLock(lock);
    if (holder === 'gone') continue;
    if (holder !== 'unreadable' && holder.host === body.host && !alive(holder.pid)) {
      await breakStale(lock, holder);
      continue;
    }
    if (Date.now() > deadline) {
      const who =
        holder === 'unreadable'
          ? 'another process'
          : `process ${holder.pid} on ${holder.host} since ${holder.since}`;
      throw new StoreError(
        'FileError',
        `cannot save ${target}: it is locked by ${who} (the lock file ${lock}); nothing was written`,
        `wait for that save to finish and try again; if no such process is running, remove ${lock}`,
      );
    }
    await new Promise((r) => setTimeout(r, delay));
  }
  const release = onExit(() => releaseSync(lock, body.nonce));
  try {
    return await fn();
  } finally {
    release();
    releaseSync(lock, body.nonce);
  }
}

async function readLock(lock: string): Promise<LockBody | 'gone' | 'unreadable'> {
  try {
    const body = JSON.parse(await readFile(lock, 'utf8')) as LockBody;
    return typeof body.pid === 'number' && typeof body.host === 'string' ? body : 'unreadable';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    // Being written right now, or not ours: a lock file older than a minute is stale anyway.
    const st = await stat(lock).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > 60_000) {
      await unlink(lock).catch(() => undefined);
      return 'gone';
    }
    return 'unreadable';
  }
}

/** Moves the stale lock away first, so two processes breaking it cannot remove a fresh one. */
async function breakStale(lock: string, holder: LockBody): Promise<void> {
  const moved = `${lock}.stale.${tag()}`;
  try {
    await rename(lock, moved);
  } catch {
    return;
  }
  const body = await readFile(moved, 'utf8').catch(() => '');
  if (!body.includes(holder.nonce)) {
    // A live lock was created between the read and the move: put it back.
    await link(moved, lock).catch(() => undefined);
  }
  await unlink(moved).catch(() => undefined);
}

function releaseSync(lock: string, nonce: string): void {
  try {
    if (readFileSync(lock, 'utf8').includes(nonce)) unlinkSync(lock);
  } catch {
    // Already gone.
  }
}

// ---- the write -----------------------------------------------------------------------------

/** Writes `text` over `target` if it is still `expected`; FileChangedError when it is not. */
export async function replaceVerified(target: string, text: string, expected: FileVersion): Promise<void> {
  const st = await stat(target);
  const tmp = besideName(target, 'tmp');
  const data = Buffer.from(text, 'utf8');
  let inPlace = st.nlink > 1;
  const forget = onExit(() => unlinkSync(tmp));
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
      if (!inPlace && (st.uid !== process.getuid?.() || st.gid !== process.getgid?.())) {
        // Only root (or the owner, for a group it is in) can give the new file the old owner.
        inPlace = !(await fh.chown(st.uid, st.gid).then(
          () => true,
          () => false,
        ));
      }
    } finally {
      await fh.close();
    }
    // The copy is what we meant to write, before anything is replaced.
    if (!(await readFile(tmp)).equals(data)) throw new Error(`the temp copy ${tmp} does not read back`);
    if (inPlace) {
      await writeInPlace(target, tmp, data, expected);
    } else {
      await chmod(tmp, st.mode & 0o7777);
      await swap(target, tmp, expected);
    }
  } finally {
    forget();
    await unlink(tmp).catch(() => undefined);
  }
  await syncDir(dirname(target));
}

/** rename(target -> aside), check aside, link(tmp -> target): nobody's write is overwritten. */
async function swap(target: string, tmp: string, expected: FileVersion): Promise<void> {
  const changed = sameVersion(await versionOf(target), expected);
  if (changed) throw new FileChangedError(changed);
  const aside = besideName(target, 'aside');
  // From here until the new file is in, a signal puts the old one back.
  const restore = onExit(() => {
    if (!existsSync(target)) renameSync(aside, target);
    else unlinkSync(aside);
  });
  try {
    await rename(target, aside);
    const moved = sameVersion(await versionOf(aside), expected);
    if (moved) {
      // Someone replaced the file after the check: theirs goes back, unless a newer one is there.
      await putBack(aside, target);
      throw new FileChangedError(moved);
    }
    try {
      await link(tmp, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new FileChangedError('another writer created it while it was being replaced');
      // A file system without hard links: the old file goes back, and the new one replaces it by
      // rename after one more check (the swap's guarantee needs link()).
      await putBack(aside, target);
      const changed = sameVersion(await versionOf(target), expected);
      if (changed) throw new FileChangedError(changed);
      await rename(tmp, target);
      return;
    }
    // A writer that had the old file open may have written into it during the swap.
    const late = sameVersion(await versionOf(aside), expected);
    if (late) {
      await rename(aside, target);
      throw new FileChangedError(late);
    }
  } finally {
    restore();
    await unlink(aside).catch(() => undefined);
  }
}

/** Puts a moved file back under its name unless someone created the name meanwhile (link()
 *  fails then); rename where the file system has no hard links. */
async function putBack(aside: string, target: string): Promise<void> {
  try {
    await link(aside, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    await rename(aside, target);
  }
}

/** Keeps the inode (hard links, owner): the verified copy is written over the file's own bytes. */
async function writeInPlace(target: string, tmp: string, data: Buffer, expected: FileVersion): Promise<void> {
  const source = besideName(target, 'inplace');
  // A crash mid-write leaves this complete copy, which the next open reports; before the write
  // starts, a signal removes it.
  await copyFile(tmp, source);
  let writing = false;
  const forget = onExit(() => {
    if (!writing) unlinkSync(source);
  });
  const fh = await open(target, 'r+');
  try {
    const st = await fh.stat();
    const now = await fh.readFile();
    const changed = sameVersion(
      { sha: sha(now), size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev },
      expected,
    );
    if (changed) throw new FileChangedError(changed);
    writing = true;
    await fh.write(data, 0, data.length, 0);
    await fh.truncate(data.length);
    await fh.sync();
    const after = await stat(target);
    if (after.ino !== st.ino) throw new FileChangedError('it was replaced while being written in place');
  } finally {
    forget();
    await fh.close();
    await unlink(source).catch(() => undefined);
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    // Directory fsync is best effort (not supported everywhere).
  }
}
