// `npm run build`: bundles the CLI into dist/ so the published package needs no TypeScript.
//   dist/cli.js              the entry (bin/ imports it); argv parsing and help only
//   dist/*-[hash].js         lazily loaded chunks: commands, the store and @kubernetes/client-node, the TUI
//   dist/password-worker.js  bcrypt in a worker thread (source/password/worker.ts)
// Splitting keeps `--version` from parsing React, Ink or the Kubernetes client.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outdir = join(root, 'dist');

/** Modules some dependency imports only in development (Ink's devtools when DEV=true): an empty stand-in. */
const EMPTY_MODULES = ['react-devtools-core'];

const stubs = {
  name: 'eda-stubs',
  setup(b) {
    const filter = new RegExp(`^(${EMPTY_MODULES.map((m) => m.replace(/[-/]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'eda-empty' }));
    b.onLoad({ filter: /.*/, namespace: 'eda-empty' }, () => ({
      contents: 'export default {}; export const connectToDevTools = () => {};',
      loader: 'js',
    }));

    // client-node's KubeConfig (source/store/kube/clientNode.ts) imports the generated API layer
    // only for makeApiClient, and node-fetch only for applyToFetchOptions; the store uses neither
    // (it calls applyToHTTPSOptions). Stand-ins keep ~630 KB out of the cluster start path.
    const clientNodeConfig = /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/;
    b.onResolve({ filter: /^(\.\/gen\/index\.js|node-fetch)$/ }, (args) =>
      clientNodeConfig.test(args.importer) ? { path: args.path, namespace: 'eda-client-node' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'eda-client-node' }, (args) => ({
      contents:
        args.path === 'node-fetch'
          ? // Lazy: reading globalThis.Headers loads Node's undici (~60 ms) even when nothing uses it.
            'export class Headers { constructor(init) { return new globalThis.Headers(init); } }\n' +
            'export default (...args) => globalThis.fetch(...args);'
          : "const unused = () => { throw new Error('makeApiClient is not bundled: the store sends its own requests'); };\n" +
            'export const createConfiguration = unused; export class ServerConfiguration { constructor() { unused(); } }',
      loader: 'js',
    }));

    // Ink and its helpers measure text with string-width, whose emoji pattern costs ~100 ms before
    // the first frame; source/output/stringWidth.ts measures identically (its unit test compares
    // the two) and starts cheap. One measure for Ink's layout and ours.
    b.onResolve({ filter: /^string-width$/ }, () => ({
      path: join(root, 'source', 'output', 'stringWidth.ts'),
    }));

    // yoga-layout (Ink's layout engine) loads its inline wasm with fetch() when fetch exists, and
    // on Node 20 the first use of fetch loads undici: ~60 ms before the first frame. The plain
    // base64 decoding it falls back to needs nothing; the build fails if the code has changed.
    const yogaLoader = /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
    b.onLoad({ filter: yogaLoader }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const probe = 'w||"function"!=typeof fetch?';
      if (source.split(probe).length !== 2)
        throw new Error(`${args.path}: the wasm fetch probe was not found once; review the yoga patch`);
      return { contents: source.replace(probe, 'w||true?'), loader: 'js' };
    });

    // The TUI is written in parallel with the CLI; until source/ui/run.tsx exists the build still
    // succeeds and the program explains that the interactive UI is missing.
    b.onResolve({ filter: /^\.\/ui\/run\.js$/ }, (args) => {
      const dir = args.resolveDir;
      if (existsSync(join(dir, 'ui', 'run.tsx')) || existsSync(join(dir, 'ui', 'run.ts'))) return undefined;
      return { path: 'ui-run-missing', namespace: 'eda-ui-missing' };
    });
    b.onLoad({ filter: /.*/, namespace: 'eda-ui-missing' }, () => ({
      contents: `export async function runTui() { process.stderr.write('error: this build has no interactive UI; use the scripted commands (see --help)\\n'); return 1; }`,
      loader: 'js',
    }));
  },
};

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
    // CommonJS dependencies call require(); ESM output has none, so every chunk gets one.
    banner: {
      js: "import { createRequire as __edaCreateRequire } from 'node:module'; const require = __edaCreateRequire(import.meta.url);",
    },
    define: {
      'process.env.NODE_ENV': '"production"',
      __EDA_VERSION__: JSON.stringify(pkg.version),
      __EDA_BUNDLED__: 'true',
    },
    plugins: [stubs],
    metafile: true,
    logLevel: 'warning',
  });
} catch {
  // esbuild has already printed each error with its source location; a stack trace adds nothing.
  process.exit(1);
}

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const total = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
const entry = result.metafile.outputs['dist/cli.js'];
process.stdout.write(
  `built ${outputs.length} files in dist/ (${(total / 1024).toFixed(0)} KiB; entry ${((entry?.bytes ?? 0) / 1024).toFixed(0)} KiB)\n`,
);
