// Builds Go binaries from a module in this repository into a cache outside the repository, once.
// The stack (kube-apiserver, etcd, kubectl) and the reference checker both use it. CI machines have
// only Go and the module proxy, so "build when the cache is empty" is how the binaries get there.
//
// Several test processes may ask for the same binaries at once (the runner runs two files in
// parallel), so a build holds a lock directory and the others wait for it instead of compiling the
// same thing twice on a two-core machine.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
  closeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface GoTarget {
  /** Output file name inside the cache directory. */
  name: string;
  /** Package to build, relative to the module (`./etcd`) or an import path. */
  pkg: string;
  ldflags?: string;
  /** Optional targets do not fail the whole build (reported on stderr instead). */
  optional?: boolean;
  /** Extra environment for this target's `go build`, e.g. `CGO_ENABLED=0`. */
  env?: Record<string, string>;
}

export interface GoBuildSpec {
  /** Short label for messages, e.g. `kube-apiserver v1.36.3`. */
  label: string;
  /** Directory of the Go module (holds go.mod). */
  moduleDir: string;
  /** Cache directory the binaries end up in. */
  outDir: string;
  targets: GoTarget[];
}

export function cacheBase(): string {
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'epinio-dex-admin');
}

/** Finds the go command: PATH first, then the standard install location. */
export function findGo(): string {
  const candidates = [process.env.GO ?? '', 'go', '/usr/local/go/bin/go'].filter(Boolean);
  for (const c of candidates) {
    const r = spawnSync(c, ['version'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  throw new Error(
    'Go is required to build the test binaries (kube-apiserver, etcd, the reference checker) but no `go` ' +
      'command was found on PATH or at /usr/local/go/bin/go. Install Go >= 1.26 or set GO=/path/to/go.',
  );
}

/** Hash of everything that decides the build output: the module files and the targets. */
function sourceHash(spec: GoBuildSpec): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(go|mod|sum)$/.test(name)) h.update(p.slice(spec.moduleDir.length)).update(readFileSync(p));
    }
  };
  walk(spec.moduleDir);
  h.update(JSON.stringify(spec.targets));
  return h.digest('hex').slice(0, 16);
}

function stampOk(spec: GoBuildSpec, hash: string): boolean {
  const stamp = join(spec.outDir, '.stamp');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== hash) return false;
  return spec.targets.every((t) => t.optional || existsSync(join(spec.outDir, t.name)));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** mkdir-based lock; a lock left by a dead process is taken over. */
async function withLock<T>(lockDir: string, label: string, fn: () => Promise<T>): Promise<T> {
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {
        // The owner is between mkdir and writing its pid; wait for it.
      }
      if (Number.isFinite(owner) && !pidAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        process.stderr.write(`${label}: waiting for another process that is building it\n`);
        announced = true;
      }
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function runGo(
  go: string,
  args: string[],
  cwd: string,
  logFile: string,
  extraEnv: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(logFile, 'a');
    const child = spawn(go, args, {
      cwd,
      stdio: ['ignore', fd, fd],
      // -buildvcs=false: the module lives inside this repository's git tree, which is irrelevant here.
      // CGO_ENABLED is left to Go's default so a warm build cache (e.g. from `go build` by hand) is reused.
      env: {
        ...process.env,
        ...extraEnv,
        GOFLAGS: [process.env.GOFLAGS ?? '', '-buildvcs=false'].join(' ').trim(),
      },
    });
    child.on('error', (err) => {
      closeSync(fd);
      reject(err);
    });
    child.on('exit', (code) => {
      closeSync(fd);
      if (code === 0) resolve();
      else {
        const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
        reject(new Error(`go ${args.join(' ')} failed (exit ${code}); log ${logFile}:\n${tail}`));
      }
    });
  });
}

/**
 * Makes sure the binaries exist in `spec.outDir`, building them if needed. Returns the paths by
 * target name (optional targets that failed are absent).
 */
export async function ensureGoBinaries(spec: GoBuildSpec): Promise<Record<string, string>> {
  const hash = sourceHash(spec);
  const paths = (): Record<string, string> =>
    Object.fromEntries(
      spec.targets
        .filter((t) => existsSync(join(spec.outDir, t.name)))
        .map((t) => [t.name, join(spec.outDir, t.name)]),
    );
  if (stampOk(spec, hash)) return paths();
  mkdirSync(spec.outDir, { recursive: true });
  await withLock(`${spec.outDir}.lock`, spec.label, async () => {
    if (stampOk(spec, hash)) return; // built by the process we waited for
    const go = findGo();
    const logFile = join(spec.outDir, 'build.log');
    writeFileSync(logFile, `build ${spec.label} at ${new Date().toISOString()}\n`);
    process.stderr.write(`${spec.label}: building from Go modules (first run only; log ${logFile})\n`);
    const started = Date.now();
    for (const t of spec.targets) {
      const tmp = join(spec.outDir, `.${t.name}.tmp`);
      const args = ['build', '-trimpath', '-ldflags', t.ldflags ?? '-s -w', '-o', tmp, t.pkg];
      const t0 = Date.now();
      try {
        await runGo(go, args, spec.moduleDir, logFile, t.env);
      } catch (err) {
        rmSync(tmp, { force: true });
        if (!t.optional) throw err;
        process.stderr.write(
          `${spec.label}: optional ${t.name} did not build: ${(err as Error).message.split('\n')[0]}\n`,
        );
        continue;
      }
      // rename is atomic: a reader never sees a half-written binary.
      renameSync(tmp, join(spec.outDir, t.name));
      process.stderr.write(`${spec.label}: built ${t.name} in ${Math.round((Date.now() - t0) / 1000)} s\n`);
    }
    writeFileSync(join(spec.outDir, '.stamp'), `${hash}\n`);
    process.stderr.write(`${spec.label}: build finished in ${Math.round((Date.now() - started) / 1000)} s\n`);
  });
  return paths();
}
