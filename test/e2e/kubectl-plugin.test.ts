// `kubectl epinio-dex ...` through the real kubectl: kubectl finds the executable
// kubectl-epinio_dex on PATH (dashes in the command map to underscores in the file name).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ROOT } from '../unit/cli/harness.js';
import { STANDALONE_BIN } from './tmux.js';

const FIXTURE = join(ROOT, 'test/unit/cli/fixtures/epinio.yaml');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let path: string;

const kubectl = (argv: string[]) => {
  const r = spawnSync('kubectl', argv, {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: path, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

before(() => {
  const dir = mkdtempSync(join(tmpdir(), 'eda-plugin-'));
  if (STANDALONE_BIN) {
    // The standalone executable is the plugin under that name (as a krew install links it).
    symlinkSync(STANDALONE_BIN, join(dir, 'kubectl-epinio_dex'));
  } else {
    assert.ok(existsSync(join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run `npm run build`');
    // The repository's bin has a .js suffix; npm installs it under the bare bin name, as here.
    symlinkSync(join(ROOT, 'bin/kubectl-epinio_dex.js'), join(dir, 'kubectl-epinio_dex'));
  }
  path = [dir, process.env.PATH ?? ''].join(delimiter);
});

describe(`kubectl plugin (${STANDALONE_BIN ? 'standalone executable' : 'npm bin'})`, () => {
  it('is listed and answers --version', () => {
    assert.match(kubectl(['plugin', 'list']).stdout, /kubectl-epinio_dex/);
    assert.deepEqual(kubectl(['epinio-dex', '--version']), {
      code: 0,
      stdout: `epinio-dex-admin ${VERSION}\n`,
      stderr: '',
    });
  });

  it('shows kubectl epinio-dex as the program name in help', () => {
    const r = kubectl(['epinio-dex', 'users', 'list', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: kubectl epinio-dex users list \[global flags\]\n/);
    const usage = kubectl(['epinio-dex', 'users', 'list', '--bogus']);
    assert.deepEqual(usage, {
      code: 2,
      stdout: '',
      stderr: "error: unknown flag --bogus\nhint: run 'kubectl epinio-dex users list --help' for usage\n",
    });
  });

  it('runs users list on a manifest file', () => {
    const r = kubectl(['epinio-dex', 'users', 'list', '--file', FIXTURE, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { username: string }[]).map((u) => u.username),
      ['admin', 'epinio', 'ops@example.com', 'jane.doe@example.com'],
    );
  });
});
