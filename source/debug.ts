// `--debug FILE`: details for troubleshooting go to a file, never to the screen. Callers pass only
// what is safe to keep: request verbs, paths, status codes, timings, error messages. Never a
// password, a hash, a client secret or a Secret's data; every line also passes the masking rule
// (a `password: ...` in an error message is masked), as a last guard.
import { closeSync, constants, fchmodSync, fstatSync, openSync, writeSync } from 'node:fs';
import { maskSecretLines } from './domain/masking.js';

let fd: number | undefined;

/**
 * Opens FILE for appending, private (0600, also when it existed with a wider mode), and never
 * through a symbolic link or into something that is not the user's own regular file: a planted
 * link would send the log (identities, object names) wherever it points.
 */
export function enableDebugLog(path: string): void {
  let handle: number;
  try {
    handle = openSync(
      path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP')
      throw new Error('it is a symbolic link, and the debug log is never written through one');
    throw err;
  }
  try {
    const st = fstatSync(handle);
    if (!st.isFile()) throw new Error('it is not a regular file');
    if (typeof process.getuid === 'function' && st.uid !== process.getuid())
      throw new Error(`it belongs to another user (uid ${st.uid})`);
    if ((st.mode & 0o777) !== 0o600) fchmodSync(handle, 0o600);
  } catch (err) {
    closeSync(handle);
    throw err;
  }
  if (fd !== undefined) closeSync(fd);
  fd = handle;
}

export function debugEnabled(): boolean {
  return fd !== undefined;
}

export function debug(message: string): void {
  if (fd === undefined) return;
  try {
    writeSync(fd, `${new Date().toISOString()} ${maskSecretLines(message, { comments: false })}\n`);
  } catch {
    // A full disk must not break the tool; the log is best effort.
  }
}
