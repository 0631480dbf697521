// The published package: `npm pack` the built tree, install the tarball into a clean global prefix
// (offline from the npm cache) and run the installed commands. Catches a missing dist file, a
// bin without its shebang or mode, a chunk or the password worker not shipped, a dependency that
// the bundle still needs at run time. With EDA_E2E_BINARY=standalone (scripts/test.ts) the same
// commands run on the standalone executable, copied alone into an empty directory.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../unit/cli/harness.js';
import { STANDALONE_BIN } from './tmux.js';

const FIXTURE = join(ROOT, 'test/unit/cli/fixtures/epinio.yaml');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let prefix: string;
let files: string[];

const installed = (bin: string, argv: string[], input = '') => {
  const r = spawnSync(join(prefix, 'bin', bin), argv, {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

before(() => {
  if (STANDALONE_BIN) {
    // The executable alone in a directory (nothing beside it to load), and its plugin name.
    prefix = mkdtempSync(join(tmpdir(), 'eda-standalone-'));
    mkdirSync(join(prefix, 'bin'));
    copyFileSync(STANDALONE_BIN, join(prefix, 'bin', 'epinio-dex-admin'));
    chmodSync(join(prefix, 'bin', 'epinio-dex-admin'), 0o755);
    symlinkSync('epinio-dex-admin', join(prefix, 'bin', 'kubectl-epinio_dex'));
    return;
  }
  assert.ok(
    existsSync(join(ROOT, 'dist/cli.js')),
    'dist/cli.js is missing: run `npm run build` (the test runner does it before e2e)',
  );
  const work = mkdtempSync(join(tmpdir(), 'eda-pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }),
  ) as { filename: string; files: { path: string }[] }[];
  files = packed[0].files.map((f) => f.path);
  prefix = join(work, 'prefix');
  execFileSync(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(work, packed[0].filename),
    ],
    { encoding: 'utf8', stdio: 'pipe' },
  );
});

/** The checks of the npm tarball's contents, which the standalone run has no counterpart for. */
const NPM_ONLY = { skip: STANDALONE_BIN ? 'the standalone executable: no npm package' : false };

describe(STANDALONE_BIN ? 'standalone executable (installed alone)' : 'npm package', () => {
  it('ships the bundle, the worker and the bins, and no sources', NPM_ONLY, () => {
    for (const f of [
      'package.json',
      'bin/epinio-dex-admin.js',
      'bin/kubectl-epinio_dex.js',
      'dist/cli.js',
      'dist/password-worker.js',
    ])
      assert.ok(files.includes(f), f);
    assert.deepEqual(
      files.filter((f) => !/^(bin|dist)\//.test(f) && !['package.json', 'README.md'].includes(f)),
      [],
    );
  });

  it('runs --version from the installed bins', () => {
    assert.deepEqual(installed('epinio-dex-admin', ['--version']), {
      code: 0,
      stdout: `epinio-dex-admin ${VERSION}\n`,
      stderr: '',
    });
    assert.deepEqual(installed('kubectl-epinio_dex', ['--version']), {
      code: 0,
      stdout: `epinio-dex-admin ${VERSION}\n`,
      stderr: '',
    });
  });

  it('validates a manifest file', () => {
    const r = installed('epinio-dex-admin', ['validate', '--file', FIXTURE, '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((parseYaml(r.stdout) as { errors: unknown[] }).errors, []);
    const t = installed('epinio-dex-admin', ['validate', '--file', FIXTURE]);
    assert.match(t.stdout, /\n0 errors, \d+ warnings\n$/);
  });

  it('hashes a password with the shipped worker', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'eda-pkg-')), 'epinio.yaml');
    copyFileSync(FIXTURE, file);
    const r = installed(
      'epinio-dex-admin',
      ['users', 'set-password', 'ops@example.com', '--password-stdin', '--cost', '10', '--file', file],
      'package-pw-1\n',
    );
    assert.equal(r.code, 0, r.stderr);
    const hash = /password: "?(\$2b\$10\$[^"\s]+)/.exec(readFileSync(file, 'utf8'))?.[1];
    assert.ok(hash && bcrypt.compareSync('package-pw-1', hash));
  });

  it(
    'runs with no Node on PATH and nothing beside it (standalone only)',
    {
      skip: STANDALONE_BIN ? false : 'the npm install needs Node',
    },
    () => {
      const home = mkdtempSync(join(tmpdir(), 'eda-home-'));
      const r = spawnSync(join(prefix, 'bin', 'epinio-dex-admin'), ['validate', '--file', FIXTURE], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: '/nonexistent', HOME: home },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /\n0 errors, \d+ warnings\n$/);
      assert.deepEqual(readdirSync(join(prefix, 'bin')).sort(), ['epinio-dex-admin', 'kubectl-epinio_dex']);
    },
  );

  it('refuses to start the UI without a terminal', () => {
    const r = installed('epinio-dex-admin', []);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: the interactive UI needs a terminal/);
  });

  it(
    'loads the UI code without undici and without string-width (the start-path patches held)',
    NPM_ONLY,
    () => {
      const dist = join(prefix, 'lib', 'node_modules', 'epinio-dex-admin', 'dist');
      const script = `
      import { readdirSync } from 'node:fs';
      const dist = ${JSON.stringify(dist)};
      const run = readdirSync(dist).find((f) => /^run-.*\\.js$/.test(f));
      await import(dist + '/' + run);
      console.log(JSON.stringify({ run: Boolean(run), undici: process.moduleLoadList.some((m) => m.includes('undici')) }));
      process.exit(0);`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.stderr, '');
      assert.deepEqual(JSON.parse(r.stdout), { run: true, undici: false });
      const maps = readdirSync(dist).filter((f) => f.endsWith('.js.map'));
      const bundled = maps.flatMap(
        (f) => (JSON.parse(readFileSync(join(dist, f), 'utf8')) as { sources: string[] }).sources,
      );
      assert.ok(bundled.some((s) => s.endsWith('source/output/stringWidth.ts')));
      assert.deepEqual(
        bundled.filter((s) => /node_modules\/string-width\//.test(s)),
        [],
      );
    },
  );
});
