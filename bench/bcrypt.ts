// bcrypt: our hashPassword (a worker thread running the bundled dist/password-worker.js, as the
// installed program does) against `htpasswd -nbB -C <cost>`, alternating, in a clean process. While
// ours hashes, the main thread's longest stall is measured twice: perf_hooks'
// monitorEventLoopDelay (1 ms resolution) and a 1 ms setInterval gap tracker.
//
//   node --import tsx bench/bcrypt.ts <distDir> <runs> <cost>...
// Prints one JSON line: { [cost]: { ours, htpasswd, stallMs, gapMs, idleStallMs: number[] } } (idle: the
// same trackers with nothing to do, for as long as the hash took: the host's own noise).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { hashPassword, setWorkerPath, verifyPassword } from '../source/password/hash.js';

const execFileP = promisify(execFile);
const [distDir, runsArg, ...costArgs] = process.argv.slice(2);
const runs = Number(runsArg);
const costs = costArgs.map(Number);
setWorkerPath(join(distDir, 'password-worker.js'));

// Throwaway values: the peer gets its password in argv (visible in ps), so never a real one.
const PASSWORD = 'bench-throwaway-pw';

/**
 * The main thread's longest stall while `during` runs, from two trackers: the event-loop delay
 * histogram and the longest gap between 1 ms timer ticks (both include their 1 ms resolution,
 * which is subtracted). Run over an idle wait of the same length, the same trackers show what the
 * machine itself does to a 1 ms timer (a noisy host deschedules the process), so a stall while
 * hashing can be told apart from one while idle.
 */
async function stallsDuring<T>(during: Promise<T>): Promise<{ value: T; stallMs: number; gapMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let gap = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  h.enable();
  const value = await during;
  h.disable();
  clearInterval(tick);
  gap = Math.max(gap, performance.now() - last);
  // max is in ns.
  return { value, stallMs: Math.max(0, h.max / 1e6 - 1), gapMs: gap - 1 };
}

async function idleStall(ms: number): Promise<number> {
  const { stallMs, gapMs } = await stallsDuring(new Promise((resolveIdle) => setTimeout(resolveIdle, ms)));
  return Math.max(0, gapMs, stallMs);
}

async function ours(cost: number): Promise<{ ms: number; stallMs: number; gapMs: number }> {
  const t0 = performance.now();
  const { value, stallMs, gapMs } = await stallsDuring(
    hashPassword(PASSWORD, cost).then((hash) => ({ hash, ms: performance.now() - t0 })),
  );
  if (!value.hash.startsWith(`$2b$${String(cost).padStart(2, '0')}$`))
    throw new Error(`unexpected hash ${value.hash}`);
  return { ms: value.ms, stallMs, gapMs };
}

async function htpasswd(cost: number): Promise<number> {
  const t0 = performance.now();
  const { stdout } = await execFileP('htpasswd', ['-nbB', '-C', String(cost), 'bench', PASSWORD], {
    encoding: 'utf8',
  });
  const elapsed = performance.now() - t0;
  const hash = stdout.trim().split(':')[1] ?? '';
  if (!(await verifyPassword(PASSWORD, hash))) throw new Error(`htpasswd's hash does not verify: ${hash}`);
  return elapsed;
}

const results: Record<
  string,
  { ours: number[]; htpasswd: number[]; stallMs: number[]; gapMs: number[]; idleStallMs: number[] }
> = {};
for (const cost of costs) {
  const r = {
    ours: [] as number[],
    htpasswd: [] as number[],
    stallMs: [] as number[],
    gapMs: [] as number[],
    idleStallMs: [] as number[],
  };
  await ours(cost); // warm-up: page cache, JIT of the worker script
  await htpasswd(cost);
  for (let i = 0; i < runs; i++) {
    const o = await ours(cost);
    r.ours.push(o.ms);
    r.stallMs.push(o.stallMs);
    r.gapMs.push(o.gapMs);
    r.idleStallMs.push(await idleStall(o.ms));
    r.htpasswd.push(await htpasswd(cost));
  }
  results[cost] = r;
}
process.stdout.write(`${JSON.stringify(results)}\n`);
