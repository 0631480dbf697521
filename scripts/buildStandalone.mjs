// `npm run build:standalone`: the CLI as one self-contained executable (a Node single executable
// application) for the platform it is built on, starting from a V8 startup snapshot.
//   dist-standalone/epinio-dex-admin     the executable: this Node binary + the snapshot blob
//   dist-standalone/kubectl-epinio_dex   a symlink to it: the kubectl plugin name
//   dist-standalone/build/               the bundle, the worker and the SEA config it was made from
// Steps: esbuild bundles source/standalone/entry.ts as one CommonJS file (a snapshot entry must be
// a script, and dynamic import() is not available inside a SEA) and the password worker as
// another; `node --experimental-sea-config` runs the entry to build the snapshot into a blob;
// postject injects the blob into a copy of this Node binary. Nothing is downloaded.
// Other platforms: README "Standalone executable".
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePlugin } from './bundlePlugin.mjs';
import { standalonePlugin } from './standalonePlugin.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// `--out DIR` puts it elsewhere (the e2e runner's cache, test/e2e/standalone.ts).
const outFlag = process.argv.indexOf('--out');
const outdir = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : join(root, 'dist-standalone'); // not in dist/: `npm run build` empties that
const work = join(outdir, 'build');
const exe = join(outdir, 'epinio-dex-admin');
// The fuse postject flips so the binary looks for its blob (Node's documented sentinel).
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const started = Date.now();

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  process.stderr.write(`build:standalone needs Node >= 20.12 (SEA snapshots); this is ${process.version}\n`);
  process.exit(1);
}

rmSync(outdir, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  jsx: 'automatic',
  legalComments: 'none',
  define: {
    'process.env.NODE_ENV': '"production"',
    __EDA_VERSION__: JSON.stringify(pkg.version),
    __EDA_BUNDLED__: 'false', // no dist/password-worker.js beside it: entry.ts hands the worker over
    'Intl.Segmenter': 'LazySegmenter',
  },
  inject: [join(root, 'scripts', 'standalone', 'lazySegmenter.mjs')],
  logLevel: 'error',
};
try {
  await build({
    ...common,
    entryPoints: { app: 'source/standalone/entry.ts' },
    outdir: work,
    plugins: [standalonePlugin(root), bundlePlugin(root)],
  });
  await build({ ...common, entryPoints: { 'password-worker': 'source/password/worker.ts' }, outdir: work });
} catch {
  process.exit(1); // esbuild has printed each error with its location
}

const seaConfig = join(work, 'sea-config.json');
writeFileSync(
  seaConfig,
  `${JSON.stringify(
    {
      main: join(work, 'app.js'),
      output: join(work, 'sea-prep.blob'),
      disableExperimentalSEAWarning: true,
      useSnapshot: true,
      // Node 20 says '"useCodeCache" is redundant when "useSnapshot" is true': the snapshot holds
      // the compiled functions already. Left off to keep the build quiet.
      useCodeCache: false,
      assets: { 'password-worker.cjs': join(work, 'password-worker.js') },
    },
    null,
    2,
  )}\n`,
);

/** Runs a build step; its output is shown only when it fails. */
function step(what, cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: work, env, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(
      `build:standalone: ${what} failed (exit ${r.status ?? r.signal})\n${r.stdout}${r.stderr}`,
    );
    process.exit(1);
  }
}

// The snapshot captures what the modules read while they are evaluated, so they are evaluated in a
// neutral environment: Ink's CI detection and chalk's colour level must not be CI's or this
// terminal's (entry.ts measures colour again at start; the CLI drops CI before the UI anyway).
const neutral = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) =>
      !/^(CI|CONTINUOUS_INTEGRATION|BUILD_NUMBER|RUN_ID|FORCE_COLOR|NO_COLOR|COLORTERM|TERM|TERM_PROGRAM|GITHUB_ACTIONS|DEV|EDA_.*)$/.test(
        k,
      ),
  ),
);
step(
  'the snapshot (node --experimental-sea-config)',
  process.execPath,
  ['--experimental-sea-config', seaConfig],
  neutral,
);

copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
// macOS (Node's documented steps; not run on this project's Linux machines): the copied binary's
// signature goes before the injection, the blob goes into a Mach-O segment, and an ad-hoc
// signature after it.
const macos = process.platform === 'darwin';
if (macos) step('removing the signature (codesign)', 'codesign', ['--remove-signature', exe]);
const postject = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
step('injecting the blob (postject)', process.execPath, [
  postject,
  exe,
  'NODE_SEA_BLOB',
  join(work, 'sea-prep.blob'),
  '--sentinel-fuse',
  FUSE,
  ...(macos ? ['--macho-segment-name', 'NODE_SEA'] : []),
]);
if (macos) step('signing (codesign, ad hoc)', 'codesign', ['--sign', '-', exe]);
symlinkSync('epinio-dex-admin', join(outdir, 'kubectl-epinio_dex'));

const check = spawnSync(exe, ['--version'], { encoding: 'utf8' });
if (check.stdout.trim() !== `epinio-dex-admin ${pkg.version}`) {
  process.stderr.write(
    `build:standalone: the executable answered --version with ${JSON.stringify(check.stdout + check.stderr)}\n`,
  );
  process.exit(1);
}
const mib = (f) => (statSync(f).size / 2 ** 20).toFixed(1);
process.stdout.write(
  `built ${exe} (${mib(exe)} MiB, snapshot blob ${mib(join(work, 'sea-prep.blob'))} MiB; Node ${process.version}, ${process.platform}-${process.arch}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
