// The standalone executable for the e2e suite's second run (EDA_E2E_BINARY=standalone, see
// scripts/test.ts): built by `npm run build:standalone` into the cache beside the Go binaries,
// under a hash of everything that decides its bytes (sources, build scripts, the lock file, this
// Node), so a CI machine or a developer rebuilds it only when one of those changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheBase } from '../stack/gobuild.js';

const INPUTS = ['source', 'scripts', 'package.json', 'package-lock.json'];

function inputHash(root: string): string {
  const h = createHash('sha256').update(`${process.version} ${process.execPath}\n`);
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
      return;
    }
    h.update(`${path.slice(root.length)}\n`).update(readFileSync(path));
  };
  for (const input of INPUTS) walk(join(root, input));
  return h.digest('hex').slice(0, 16);
}

/** The path of the standalone executable for the sources in `root`, built when not cached. */
export function ensureStandalone(root: string, log: (msg: string) => void = () => {}): string {
  const base = join(cacheBase(), 'standalone');
  const hash = inputHash(root);
  const dir = join(base, hash);
  const exe = join(dir, 'epinio-dex-admin');
  if (existsSync(exe)) {
    log(`standalone executable ${hash}: cached (${exe})`);
    return exe;
  }
  const tmp = join(base, `.${hash}.${process.pid}.tmp`);
  const r = spawnSync(process.execPath, [join(root, 'scripts/buildStandalone.mjs'), '--out', tmp], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`npm run build:standalone failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
  // One executable is ~100 MiB: keep only the newest.
  for (const old of existsSync(base) ? readdirSync(base) : [])
    if (!old.startsWith('.')) rmSync(join(base, old), { recursive: true, force: true });
  renameSync(tmp, dir); // atomic: a reader never sees half an executable
  log(`standalone executable ${hash}: ${r.stdout.trim().replace(tmp, dir)}`);
  return exe;
}
