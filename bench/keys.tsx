// Key -> frame latency in the Users screen, in-process: the real App (source/ui) rendered by Ink's
// own render() (not the testing library's debug mode: Ink's throttle and incremental log-update
// stay on, as in a terminal) to a fake TTY stdout, over the Kubernetes store of the bench
// namespace, with the render options of the real terminal and production React (NODE_ENV, as
// the bundle defines it; run.ts sets it). Each key is written to a fake stdin; the latency is the time from that write to the
// next frame Ink writes to stdout. Keys are spaced like typing (beyond Ink's 30 fps throttle window).
//
// bench/run.ts bundles this file with the CLI's esbuild plugin (scripts/bundlePlugin.mjs), so Ink
// carries the shipped patches; run from source it measures the unpatched dependencies:
//   node --import tsx bench/keys.tsx <kubeconfig> <namespace> <expectedUsers> <short 0|1> [long]
// Prints one JSON line: { arrows: number[], pageDown: number[], filter: number[], loadMs }.
// With `long` (a namespace holding one user with a 10,000-character username): only arrow keys,
// down and up over the few users, so the long name is drawn, selected and left on every key.
import { monoTheme } from '../source/ui/theme.js';
import { createKubeStore } from '../source/store/kube/kubeStore.js';
import { renderApp } from '../test/e2e/lib/fakeTerminal.js';

const [kubeconfig, namespace, expectedArg, shortArg, modeArg] = process.argv.slice(2);
const expected = Number(expectedArg);
const short = shortArg === '1';

const sleep = (msDelay: number) => new Promise((r) => setTimeout(r, msDelay));

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting for ${what}; screen tail:\n${stdout.screen.slice(-2000)}`);
    await sleep(5);
  }
}

/** Writes one key and resolves with the milliseconds until the next frame is written. */
function keyToFrame(key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const before = stdout.writes;
    const t0 = process.hrtime.bigint();
    const timer = setTimeout(
      () => reject(new Error(`no frame within 5 s after key ${JSON.stringify(key)}`)),
      5000,
    );
    let pending = true;
    const done = () => {
      if (!pending) return;
      pending = false;
      clearTimeout(timer);
      stdout.onWrite = undefined;
      resolve(Number(stdout.lastWriteAt - t0) / 1e6);
    };
    stdout.onWrite = done;
    stdin.write(key);
    // The frame may already have been written synchronously inside the write.
    if (stdout.writes > before) done();
  });
}

const GAP_MS = 45; // > Ink's 34 ms throttle window: each key is measured as typed, not as a burst.

/** CPU milliseconds per key of each series (user + system, this process): unlike the latency,
 *  barely moved by other work on the machine, so a change's cost can be compared on a busy one. */
const cpuPerKey: Record<number, number> = {};

async function series(keys: string[]): Promise<number[]> {
  const out: number[] = [];
  const cpu = process.cpuUsage();
  for (const k of keys) {
    out.push(await keyToFrame(k));
    await sleep(GAP_MS);
  }
  const used = process.cpuUsage(cpu);
  cpuPerKey[Object.keys(cpuPerKey).length] = (used.user + used.system) / 1000 / keys.length;
  return out;
}

const store = await createKubeStore({ kubeconfig, namespace, requestTimeoutMs: 60_000 });
const loadStart = Date.now();
const { instance, stdout, stdin } = renderApp(store, monoTheme);
await until(() => stdout.screen.includes('Corporate LDAP'), 'the connectors screen');
stdin.write('3');
await until(
  () => stdout.screen.includes(`of ${expected} users`),
  `"of ${expected} users" in the Users screen`,
);
const loadMs = Date.now() - loadStart;
await sleep(200);

const DOWN = '\x1b[B';
const UP = '\x1b[A';
const PAGE_DOWN = '\x1b[6~';
if (modeArg === 'long') {
  // Two down, two up: never past either end (a key that changes nothing draws no frame).
  const keys = Array.from({ length: short ? 60 : 300 }, (_, i) => (i % 4 < 2 ? DOWN : UP));
  const arrows = await series(keys);
  instance.unmount();
  process.stdout.write(`${JSON.stringify({ arrows, loadMs })}\n`);
  process.exit(0);
}
const n = short ? 60 : 300;
const arrows = await series([...Array(n).fill(DOWN), ...Array(n / 3).fill(UP)]);
const PAGE_UP = '\x1b[5~';
// Page down then back up, never past the end (a key that changes nothing draws no frame). The
// list shows 27 rows at 120x40.
const pages = Math.max(0, Math.min(short ? 10 : 50, Math.floor(expected / 27) - 1));
const pageDown = await series([...Array(pages).fill(PAGE_DOWN), ...Array(pages).fill(PAGE_UP)]);
await keyToFrame('/');
await sleep(GAP_MS);
// Filter as you type (the list is re-filtered on every key): type, then erase, several times.
const word = 'user-01';
const filterKeys: string[] = [];
for (let i = 0; i < (short ? 3 : 10); i++)
  filterKeys.push(...word.split(''), ...Array(word.length).fill('\x7f'));
const filter = await series(filterKeys);

instance.unmount();
process.stdout.write(
  `${JSON.stringify({ arrows, pageDown, filter, loadMs, cpuPerKey: { arrows: cpuPerKey[0], pageDown: cpuPerKey[1], filter: cpuPerKey[2] } })}\n`,
);
process.exit(0);
