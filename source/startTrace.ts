// EDA_TRACE_START=FILE: the start's milestones, in ms since the process started, one line each
// (`name ms`) appended to FILE, so the benchmark can break a slow start down (process start and
// module loading or snapshot load, the first API request and its answer, the first frame).
// A file, not stderr: the TUI owns the terminal. Nothing here runs unless the variable is set.
import { appendFileSync } from 'node:fs';
import { subscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

let file: string | undefined;
const seen = new Set<string>();

/** Records `name` once (the first time it happens). */
export function mark(name: string): void {
  if (!file || seen.has(name)) return;
  seen.add(name);
  try {
    appendFileSync(file, `${name} ${performance.now().toFixed(1)}\n`);
  } catch {
    file = undefined; // a trace that cannot be written must not break the program
  }
}

/** Starts tracing when `env.EDA_TRACE_START` names a file; `first` marks how far the start got. */
export function startTrace(env: NodeJS.ProcessEnv, first: string): void {
  if (!env.EDA_TRACE_START || file) return;
  file = env.EDA_TRACE_START;
  mark(first);
  // Node's HTTP client publishes these (Node >= 19.9): the first request sent and answered.
  subscribe('http.client.request.start', () => mark('first-request'));
  subscribe('http.client.response.finish', () => mark('first-response'));
  // The standalone executable's yoga (scripts/standalonePlugin.mjs) reports its lazy wasm start.
  // (`-sync`: compiled on the main thread because the background compile had not finished).
  (globalThis as { __edaYogaLoaded?: (background: boolean) => void }).__edaYogaLoaded = (background) =>
    mark(background ? 'yoga-loaded' : 'yoga-loaded-sync');
  // The frames: the first writes to the terminal (Ink writes each frame in one call; the UI's
  // first write enters the alternate screen).
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout) as (...args: unknown[]) => boolean;
  let writes = 0;
  stdout.write = ((...args: unknown[]) => {
    if (writes < 8) mark(`write-${++writes}`);
    return write(...args);
  }) as typeof stdout.write;
}
