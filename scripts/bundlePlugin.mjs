// The esbuild plugin of the bundle: stand-ins for code the tool never runs, and checked patches
// that keep the start path and Ink's frames fast. scripts/build.mjs bundles the CLI with it;
// bundleHarness() bundles the key->frame benchmark and the frame comparison test with it, so they
// run the shipped code.
// Each patch names the exact text it replaces and fails the build when that text has changed.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CommonJS dependencies call require(); ESM output has none, so every output file gets one. */
export const REQUIRE_BANNER =
  "import { createRequire as __edaCreateRequire } from 'node:module'; const require = __edaCreateRequire(import.meta.url);";

/**
 * One self-contained ESM file from a TypeScript entry, bundled as the CLI is (this plugin,
 * production React): how the benchmark and the patch test run harnesses against the shipped code.
 */
export async function bundleHarness(root, entry, outfile) {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    banner: { js: REQUIRE_BANNER },
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [bundlePlugin(root)],
    logLevel: 'warning',
  });
  return outfile;
}

/** Replaces each `[from, to]` exactly once in the file at `path`, or throws. */
function patch(path, replacements) {
  let source = readFileSync(path, 'utf8');
  for (const [from, to] of replacements) {
    if (source.split(from).length !== 2)
      throw new Error(
        `${path}: expected exactly one ${JSON.stringify(from)}; review the patch in scripts/bundlePlugin.mjs`,
      );
    source = source.replace(from, () => to); // a function: `to` is inserted verbatim, `$` and all
  }
  return source;
}

/** Modules some dependency imports only in development (Ink's devtools when DEV=true): an empty stand-in. */
const EMPTY_MODULES = ['react-devtools-core'];

/** `root`: the project directory. */
export function bundlePlugin(root) {
  return {
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
      // base64 decoding it falls back to needs nothing.
      b.onLoad(
        { filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ },
        (args) => ({
          contents: patch(args.path, [['w||"function"!=typeof fetch?', 'w||true?']]),
          loader: 'js',
        }),
      );

      // Ink 6.8 draws every frame into a fresh grid of cell objects, re-tokenizes the ANSI codes of
      // every line, slices every line of a clipped box (overflow="hidden") and diffs the styles of
      // every pair of neighbouring cells, with caches that live for one frame. With 5,000 users
      // that is most of a keystroke's cost and its garbage. The patches keep the results the same:
      //   - the caches live across frames (bounded; keyed by the text; cached cells are never
      //     mutated), and sliced lines are cached too;
      //   - neighbouring cells with equal styles share one styles array, and the empty cells one
      //     frozen object, so the row printer can skip the diff when nothing changes;
      //   - a line of printable ASCII (no escape, one column a character: most rows of a list) is
      //     made into cells directly, without the grapheme segmenter and the ANSI tokenizer, and a
      //     clip that keeps a whole line does not slice it (a page of new rows drew at 8.8 ms a key,
      //     half of it in those two);
      //   - a screen row made of exactly the same cells as the last frame's row there (cells are
      //     shared through the caches and never mutated) reuses that row's text instead of printing
      //     it again, and a one-column ASCII character skips the width lookup.
      b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, (args) => ({
        contents: patch(args.path, [
          [
            '            cached = styledCharsFromTokens(tokenize(line));\n',
            '            cached = PRINTABLE_ASCII.test(line) ? plainStyledChars(line) : shareEqualStyles(styledCharsFromTokens(tokenize(line)));\n',
          ],
          [
            '    getStringWidth(text) {',
            '    getSlice(line, from, to) {\n' +
              '        if (from === 0 && to >= this.getStringWidth(line)) return line;\n' +
              '        const key = `${from}:${to}:${line}`;\n' +
              '        let cached = this.slices.get(key);\n' +
              '        if (cached === undefined) {\n' +
              '            cached = sliceAnsi(line, from, to);\n' +
              '            this.slices.set(key, cached);\n' +
              '        }\n' +
              '        return cached;\n' +
              '    }\n' +
              '    getStringWidth(text) {',
          ],
          ['    styledChars = new Map();', '    styledChars = new Map();\n    slices = new Map();'],
          [
            'export default class Output {',
            'function sameStyles(a, b) {\n' +
              '    if (a.length !== b.length) return false;\n' +
              '    for (let i = 0; i < a.length; i++) {\n' +
              '        if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;\n' +
              '    }\n' +
              '    return true;\n' +
              '}\n' +
              'const PRINTABLE_ASCII = /^[\\x20-\\x7e]*$/;\n' +
              'function plainStyledChars(line) {\n' +
              '    const styles = [];\n' +
              '    const ret = [];\n' +
              '    for (let i = 0; i < line.length; i++) {\n' +
              "        const token = { type: 'char', value: line[i], fullWidth: false };\n" +
              '        ret.push({ ...token, styles });\n' +
              '    }\n' +
              '    return ret;\n' +
              '}\n' +
              'function shareEqualStyles(chars) {\n' +
              '    for (let i = 1; i < chars.length; i++) {\n' +
              '        if (sameStyles(chars[i - 1].styles, chars[i].styles)) chars[i].styles = chars[i - 1].styles;\n' +
              '    }\n' +
              '    return chars;\n' +
              '}\n' +
              'const ROW_CELLS = [];\n' +
              'const ROW_TEXTS = [];\n' +
              'function rowText(y, line) {\n' +
              '    const prev = ROW_CELLS[y];\n' +
              '    if (prev !== undefined && prev.length === line.length) {\n' +
              '        let same = true;\n' +
              '        for (let i = 0; i < line.length; i++) {\n' +
              '            if (prev[i] !== line[i]) { same = false; break; }\n' +
              '        }\n' +
              '        if (same) return ROW_TEXTS[y];\n' +
              '    }\n' +
              '    const text = styledCharsToString(line.filter(item => item !== undefined)).trimEnd();\n' +
              '    ROW_CELLS[y] = line;\n' +
              '    ROW_TEXTS[y] = text;\n' +
              '    return text;\n' +
              '}\n' +
              'const SHARED_CACHES = new OutputCaches();\n' +
              "const BLANK = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\n" +
              'function sharedCaches() {\n' +
              '    const c = SHARED_CACHES;\n' +
              '    if (c.styledChars.size + c.widths.size + c.slices.size > 8000) {\n' +
              '        c.styledChars.clear();\n' +
              '        c.widths.clear();\n' +
              '        c.blockWidths.clear();\n' +
              '        c.slices.clear();\n' +
              '    }\n' +
              '    return c;\n' +
              '}\n' +
              'export default class Output {',
          ],
          ['    caches = new OutputCaches();', '    caches = sharedCaches();'],
          [
            '                            return sliceAnsi(line, from, to);',
            '                            return this.caches.getSlice(line, from, to);',
          ],
          [
            "                row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });",
            '                row.push(BLANK);',
          ],
          [
            '                        const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));',
            '                        const characterWidth = character.value.length === 1 && character.value.charCodeAt(0) < 0x7f ? 1 : Math.max(1, this.caches.getStringWidth(character.value));',
          ],
          [
            '            .map(line => {\n' +
              '            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742\n' +
              '            const lineWithoutEmptyItems = line.filter(item => item !== undefined);\n' +
              '            return styledCharsToString(lineWithoutEmptyItems).trimEnd();\n' +
              '        })',
            '            .map((line, y) => rowText(y, line))',
          ],
        ]),
        loader: 'js',
      }));

      // Its row printer: no style diff between neighbours that share a styles array or have none.
      b.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/ }, (args) => ({
        contents: patch(args.path, [
          [
            '            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
            '            const from = chars[i - 1].styles;\n' +
              '            if (from !== char.styles && (from.length > 0 || char.styles.length > 0)) {\n' +
              '                ret += ansiCodesToString(diffAnsiCodes(from, char.styles));\n' +
              '            }',
          ],
        ]),
        loader: 'js',
      }));
    },
  };
}
