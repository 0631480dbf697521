// The esbuild plugin of the standalone executable's bundle (scripts/buildStandalone.mjs), on top
// of bundlePlugin: what a V8 startup snapshot needs from the dependencies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Replaces `from` exactly once in `source`, or throws (the dependency changed: review the patch). */
function patchOnce(path, source, from, to) {
  if (source.split(from).length !== 2)
    throw new Error(
      `${path}: expected exactly one ${JSON.stringify(from)}; review scripts/standalonePlugin.mjs`,
    );
  return source.replace(from, () => to);
}

// yoga-layout's entry instantiates its wasm with a top-level await: a CommonJS bundle cannot
// await at the top, and a wasm instance cannot live in a snapshot. This entry makes the same
// object on first use instead, synchronously: Emscripten's instantiateWasm hook instantiates the
// module compiled in the background since the UI started (or compiles it now) and completes at
// once, so the module is ready when loadYoga returns.
const YOGA_ENTRY = `
import loadYoga, { EDA_WASM_URI } from '../binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from './wrapAssembly.js';
const bytes = () => Buffer.from(EDA_WASM_URI.slice(EDA_WASM_URI.indexOf(',') + 1), 'base64');
let compiled;
let compiling;
// The UI asks for this as it starts (cli.tsx startTui): V8 compiles the wasm on its background
// threads while the store connects, and the first layout only instantiates it.
globalThis.__edaPrepareYoga = () => {
  compiling ??= WebAssembly.compile(bytes()).then((m) => (compiled = m), () => undefined);
};
let yoga;
function load() {
  const module = {
    instantiateWasm(imports, _dataUri, done) {
      const instance = new WebAssembly.Instance(compiled ?? new WebAssembly.Module(bytes()), imports);
      done(instance);
      return instance.exports;
    },
  };
  loadYoga(module);
  if (!module.calledRun) throw new Error('yoga did not start synchronously');
  globalThis.__edaYogaLoaded?.(compiled !== undefined);
  return wrapAssembly(module);
}
const Yoga = new Proxy({}, { get: (_, key) => (yoga ??= load())[key] });
export default Yoga;
export * from './generated/YGEnums.js';
`;

/** `root`: the project directory. */
export function standalonePlugin(root) {
  return {
    name: 'eda-standalone',
    setup(b) {
      b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, () => ({
        contents: YOGA_ENTRY,
        loader: 'js',
      }));
      // Hands the inline wasm (Emscripten's data URI `H`) to the instantiateWasm hook above.
      // bundlePlugin's fetch patch of the same file applies first (esbuild runs the first onLoad
      // that answers, so both are applied here).
      b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
        let source = readFileSync(args.path, 'utf8');
        source = patchOnce(args.path, source, 'w||"function"!=typeof fetch?', 'w||true?');
        source = patchOnce(
          args.path,
          source,
          'return h.instantiateWasm(d,\na)',
          'return h.instantiateWasm(d,H,a)',
        );
        // The inline wasm moves to the module's top as an export, for the background compile.
        const uri = /H="(data:application\/octet-stream;base64,[A-Za-z0-9+/=]*)"/.exec(source);
        if (!uri) throw new Error(`${args.path}: the inline wasm moved; review scripts/standalonePlugin.mjs`);
        source = `export const EDA_WASM_URI = ${JSON.stringify(uri[1])};\n${patchOnce(args.path, source, uri[0], 'H=EDA_WASM_URI')}`;
        return { contents: source, loader: 'js' };
      });
      // Ink's reconciler awaits at its top, only under DEV=true (devtools). The snapshot evaluates it
      // at build time with DEV unset, so neither branch can run: the awaits go.
      b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => {
        let source = readFileSync(args.path, 'utf8');
        source = patchOnce(args.path, source, "await import('./devtools.js');", 'void 0;');
        source = patchOnce(args.path, source, '? await loadPackageJson()', '? {}');
        return { contents: source, loader: 'js' };
      });
      // Node 20 leaves console.Console undefined in a process started from a user snapshot, and
      // patch-console (Ink's patchConsole) constructs one when the UI renders. The class is
      // there while the snapshot is built: keep it from then.
      b.onLoad({ filter: /[\\/]patch-console[\\/]dist[\\/]index\.js$/ }, (args) => {
        let source = readFileSync(args.path, 'utf8');
        source = patchOnce(
          args.path,
          source,
          'let originalMethods = {};',
          'let originalMethods = {};\nconst BuildTimeConsole = console.Console;',
        );
        source = patchOnce(
          args.path,
          source,
          'new console.Console(stdout, stderr)',
          'new BuildTimeConsole(stdout, stderr)',
        );
        return { contents: source, loader: 'js' };
      });
      // A Worker made in a process started from a snapshot that loaded node:worker_threads dies
      // at once ('undefined is not an integer typed array': the module's per-process state is
      // not restored). The password worker's module (source/password/hash.ts) gets a Worker that
      // loads node:worker_threads when the first one is made.
      b.onResolve({ filter: /^(node:)?worker_threads$/ }, (args) =>
        /[\\/]source[\\/]password[\\/]hash\.ts$/.test(args.importer)
          ? { path: 'worker_threads', namespace: 'eda-lazy' }
          : undefined,
      );
      b.onLoad({ filter: /^worker_threads$/, namespace: 'eda-lazy' }, () => ({
        contents:
          'export class Worker { constructor(...args) { return new (require("node:worker_threads").Worker)(...args); } }',
        loader: 'js',
      }));
      // chalk's own colour detection, for source/standalone/colorLevel.ts.
      b.onResolve({ filter: /^eda:chalk-support$/ }, () => ({
        path: join(root, 'node_modules', 'chalk', 'source', 'vendor', 'supports-color', 'index.js'),
      }));
    },
  };
}
