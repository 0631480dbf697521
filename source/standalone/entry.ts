// The standalone executable's entry (scripts/buildStandalone.mjs bundles it as one CommonJS file).
// Node runs it once at build time to make a V8 startup snapshot: every module of the CLI, the
// commands, the stores with the Kubernetes client, React, Ink and the TUI is evaluated then, and
// the executable starts from the resulting heap. What cannot live in a snapshot starts afterwards,
// in run(): the terminal streams (process.stdout is opened on first use), the environment (CI,
// NO_COLOR, colour support), the password worker thread, and yoga's wasm (see
// scripts/standalonePlugin.mjs: loaded synchronously on Ink's first layout).
import { basename } from 'node:path';
import { getAsset } from 'node:sea';
import { startupSnapshot } from 'node:v8';
import { main, version } from '../cli.js';
import { COMMANDS } from '../commands/specs.js';
import { setWorkerCode } from '../password/hash.js';
import { mark, startTrace } from '../startTrace.js';
import { resetColorLevel } from './colorLevel.js';

/** The asset name of the password worker's bundled source (see the SEA config in the build). */
const WORKER_ASSET = 'password-worker.cjs';

/** Evaluates what the start path would otherwise load on demand. */
async function warm(): Promise<void> {
  await Promise.all([
    ...COMMANDS.map((c) => c.load()),
    import('../store/connect.js'),
    import('../store/prefetch.js'),
    import('../store/file/fileStore.js'),
    import('../store/demo/demo.js'),
    import('../ui/run.js'),
  ]);
}

function run(): void {
  startTrace(process.env, 'main');
  // `--version` alone, as the npm bins do (bin/epinio-dex-admin.js): the line runCli prints, without
  // the colour measurement, the worker's source or argv parsing. Any other argv takes main().
  if (process.argv.length === 3 && process.argv[2] === '--version') {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    });
    process.stdout.write(`epinio-dex-admin ${version()}\n`);
    return;
  }
  // Ink's colour support was measured by chalk when the snapshot was built: measure this terminal.
  resetColorLevel();
  setWorkerCode(getAsset(WORKER_ASSET, 'utf8'));
  mark('ready');
  // Run as kubectl-epinio_dex (a link to this executable), it is the kubectl plugin.
  const invoked = basename(process.argv[1] ?? '');
  void main(invoked.startsWith('kubectl-') ? 'kubectl epinio-dex' : 'epinio-dex-admin');
}

if (startupSnapshot.isBuildingSnapshot()) {
  warm().catch((err: unknown) => {
    process.stderr.write(`standalone: warming the snapshot failed: ${String(err)}\n`);
    process.exitCode = 1;
  });
  startupSnapshot.setDeserializeMainFunction(run);
} else {
  run();
}
