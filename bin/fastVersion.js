// The bins' `--version` fast path (bin/epinio-dex-admin.js, bin/kubectl-epinio_dex.js).
import { appendFileSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * `--version` alone answers before the bundle loads: importing dist/cli.js and its chunks costs
 * ~25 ms, a third of Node's own start. dist/version.txt is the exact line the CLI prints, written
 * by scripts/build.mjs from the version it bundles. Any other argv, or no version file, takes the
 * full path. EDA_TRACE_START (source/startTrace.ts) still gets this start's milestones.
 */
export function fastVersion() {
  if (process.argv.length !== 3 || process.argv[2] !== '--version') return false;
  let line;
  try {
    line = readFileSync(new URL('../dist/version.txt', import.meta.url), 'utf8');
  } catch {
    return false;
  }
  const trace = process.env.EDA_TRACE_START;
  for (const name of trace ? ['main', 'write-1'] : []) {
    try {
      appendFileSync(trace, `${name} ${performance.now().toFixed(1)}\n`);
    } catch {
      break; // a trace that cannot be written must not break the program
    }
  }
  // As main() does: `--version | head -0` closes the pipe early, which is not an error.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  process.stdout.write(line);
  return true;
}
