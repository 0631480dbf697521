// `npm run build`: bundles the CLI into dist/ so the published package needs no TypeScript.
//   dist/cli.js              the entry (bin/ imports it); argv parsing and help only
//   dist/*-[hash].js         lazily loaded chunks: commands, the store and @kubernetes/client-node, the TUI
//   dist/password-worker.js  bcrypt in a worker thread (source/password/worker.ts)
//   dist/version.txt         the line `--version` prints, for the bins' fast path
// Splitting keeps `--version` from parsing React, Ink or the Kubernetes client.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePlugin, REQUIRE_BANNER } from './bundlePlugin.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outdir = join(root, 'dist');

rmSync(outdir, { recursive: true, force: true });

let result;
try {
  result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'source/cli.tsx', 'password-worker': 'source/password/worker.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    sourcemap: 'linked',
    chunkNames: '[name]-[hash]',
    jsx: 'automatic',
    legalComments: 'linked',
    banner: { js: REQUIRE_BANNER },
    define: {
      'process.env.NODE_ENV': '"production"',
      __EDA_VERSION__: JSON.stringify(pkg.version),
      __EDA_BUNDLED__: 'true',
    },
    plugins: [bundlePlugin(root)],
    metafile: true,
    logLevel: 'warning',
  });
} catch {
  // esbuild has already printed each error with its source location; a stack trace adds nothing.
  process.exit(1);
}

// The exact line `--version` prints, for the bins' fast path (bin/fastVersion.js).
writeFileSync(join(outdir, 'version.txt'), `epinio-dex-admin ${pkg.version}\n`);

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const total = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
const entry = result.metafile.outputs['dist/cli.js'];
process.stdout.write(
  `built ${outputs.length} files in dist/ (${(total / 1024).toFixed(0)} KiB; entry ${((entry?.bytes ?? 0) / 1024).toFixed(0)} KiB)\n`,
);
