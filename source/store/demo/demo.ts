// `--demo`: a sandbox on a private temp copy of a built-in manifest, so the whole tool can be tried
// without a cluster. The store is a file store whose location says `demo` and names the copy.
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

export async function createDemoStore(options: DemoOptions = {}): Promise<FileStore> {
  const namespace = options.namespace ?? 'epinio';
  // A private directory (mkdtemp is 0700) and a 0600 file: the copy holds (fake) secrets.
  const dir = await mkdtemp(join(tmpdir(), 'epinio-dex-admin-demo-'));
  const path = join(dir, 'demo-manifest.yaml');
  await writeFile(path, demoManifest(namespace), { mode: 0o600, flag: 'wx' });
  return createFileStore(path, {
    namespace,
    readOnly: options.readOnly,
    backend: 'demo',
    backupDir: options.backupDir,
  });
}
