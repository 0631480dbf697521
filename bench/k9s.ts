// k9s, the terminal peer of the UI's first frame: built from Go modules at the version bench/k9s/go.mod
// pins, into the same cache as the API server (test/stack/gobuild.ts), only when the full
// benchmark runs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheBase, ensureGoBinaries } from '../test/stack/gobuild.js';

const MODULE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'k9s');

export function k9sVersion(): string {
  const m = /^require github\.com\/derailed\/k9s (v\S+)/m.exec(
    readFileSync(join(MODULE_DIR, 'go.mod'), 'utf8'),
  );
  if (!m) throw new Error('bench/k9s/go.mod does not require github.com/derailed/k9s');
  return m[1]!;
}

/** The k9s binary, built on first use. */
export async function ensureK9s(): Promise<string> {
  const version = k9sVersion();
  const paths = await ensureGoBinaries({
    label: `k9s ${version}`,
    moduleDir: MODULE_DIR,
    outDir: join(cacheBase(), 'k9s'),
    targets: [
      {
        name: 'k9s',
        pkg: 'github.com/derailed/k9s',
        ldflags: `-s -w -X github.com/derailed/k9s/cmd.version=${version}`,
        env: { CGO_ENABLED: '0' },
      },
    ],
  });
  return paths.k9s!;
}

// `npx tsx bench/k9s.ts`: builds it (e.g. ahead of the benchmark) and prints its path.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${await ensureK9s()}\n`);
}
