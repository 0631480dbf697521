// `--demo`: a sandbox on a private temp copy of a built-in manifest, so the whole tool can be tried
// without a cluster. The store is a file store whose location says `demo` and names the copy.
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
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

function removeOnExit(dir: string): void {
  if (copies.size === 0) {
    process.once('exit', removeCopies);
    for (const s of EXIT_SIGNALS) if (!process.listeners(s).includes(onSignal)) process.on(s, onSignal);
  }
  copies.add(dir);
}

export async function createDemoStore(options: DemoOptions = {}): Promise<FileStore> {
  const namespace = options.namespace ?? 'epinio';
  // A private directory (mkdtemp is 0700) and a 0600 file: the copy holds (fake) secrets.
  const dir = await mkdtemp(join(tmpdir(), 'epinio-dex-admin-demo-'));
  removeOnExit(dir);
  const path = join(dir, 'demo-manifest.yaml');
  await writeFile(path, demoManifest(namespace), { mode: 0o600, flag: 'wx' });
  return createFileStore(path, {
    namespace,
    readOnly: options.readOnly,
    backend: 'demo',
    backupDir: options.backupDir,
  });
}
