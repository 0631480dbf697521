// `--demo`: a sandbox on a private temp copy of a built-in manifest, so the whole tool can be tried
// without a cluster. The store is a file store whose location says `demo` and names the copy.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStore, type FileStore } from '../file/fileStore.js';
import { demoManifest } from './manifest.js';

export interface DemoOptions {
  namespace?: string;
  readOnly?: boolean;
  /** Where backups go (tests); default backupDir(). */
  backupDir?: string;
}

// Every demo copy is removed when the process ends, however it ends: a normal exit or
// process.exit (the 'exit' event), or a signal. A signal nobody else handles is re-raised after
// the removal, so the process still dies of it (exit status and all); where the TUI handles it,
// the TUI restores the terminal and exits, and the 'exit' event removes the copy.
const copies = new Set<string>();
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeCopies(): void {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  copies.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeCopies();
  if (process.listenerCount(signal) > 1) return;
  for (const s of EXIT_SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

// The handlers go in before the directory exists, and the copy is made and recorded in one
// synchronous step (JS signal handlers run between tasks, never inside one): with an async mkdtemp,
// a SIGTERM between the syscall and its continuation met the default action or an unrecorded
// directory, and the copy stayed behind (seen in CI).
function writeCopy(namespace: string): string {
  if (copies.size === 0) {
    process.once('exit', removeCopies);
    for (const s of EXIT_SIGNALS) if (!process.listeners(s).includes(onSignal)) process.on(s, onSignal);
  }
  // A private directory (mkdtemp is 0700) and a 0600 file: the copy holds (fake) secrets.
  const dir = mkdtempSync(join(tmpdir(), 'epinio-dex-admin-demo-'));
  copies.add(dir);
  const path = join(dir, 'demo-manifest.yaml');
  writeFileSync(path, demoManifest(namespace), { mode: 0o600, flag: 'wx' });
  return path;
}

export async function createDemoStore(options: DemoOptions = {}): Promise<FileStore> {
  const namespace = options.namespace ?? 'epinio';
  return createFileStore(writeCopy(namespace), {
    namespace,
    readOnly: options.readOnly,
    backend: 'demo',
    backupDir: options.backupDir,
  });
}
