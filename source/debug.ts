// `--debug FILE`: details for troubleshooting go to a file, never to the screen. Callers pass only
// what is safe to keep: request verbs, paths, status codes, timings, error messages. Never a
// password, a hash, a client secret or a Secret's data.
import { appendFileSync, openSync, closeSync } from 'node:fs';

let target: string | undefined;

export function enableDebugLog(path: string): void {
  // 0600: the log names objects and identities even though it holds no secret values.
  closeSync(openSync(path, 'a', 0o600));
  target = path;
}

export function debugEnabled(): boolean {
  return target !== undefined;
}

export function debug(message: string): void {
  if (!target) return;
  try {
    appendFileSync(target, `${new Date().toISOString()} ${message}\n`);
  } catch {
    // A full disk must not break the tool; the log is best effort.
  }
}
