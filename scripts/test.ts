// The test runner behind `npm test`. One kube-apiserver per run: unit suites need none; the
// integration, e2e and reliability suites share one real API server started here and described to
// the test processes through EDA_TEST_STACK (see test/stack/env.ts).
//
//   npm test                      every suite
//   npm test -- unit              only the pure suites (no API server, no Go)
//   npm test -- integration e2e   some suites
//   npm test -- test/reliability/rbac.test.ts   some files (their suites decide build and API server)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SUITES = ['unit', 'integration', 'e2e', 'reliability'] as const;
type Suite = (typeof SUITES)[number];
const NEEDS_STACK: ReadonlySet<Suite> = new Set(['integration', 'e2e', 'reliability']);
const NEEDS_BUILD: ReadonlySet<Suite> = new Set(['e2e', 'reliability']);

function testFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const asked = process.argv.slice(2).filter((a) => a !== '--');
  const isFile = (a: string) => /\.test\.tsx?$/.test(a);
  const suiteOf = (file: string) => SUITES.find((s) => file.replace(/^\.\//, '').startsWith(`test/${s}/`));
  const unknown = asked.filter((a) => (isFile(a) ? !suiteOf(a) : !(SUITES as readonly string[]).includes(a)));
  if (unknown.length) {
    console.error(`error: unknown suite or test file ${unknown.join(', ')} (suites: ${SUITES.join(', ')})`);
    return 2;
  }
  const askedFiles = asked.filter(isFile);
  const askedSuites = asked.filter((a) => !isFile(a)) as Suite[];
  const suites: Suite[] = asked.length
    ? [...new Set([...askedSuites, ...askedFiles.map((f) => suiteOf(f)!)])]
    : [...SUITES];
  const files = [...askedSuites.flatMap((s) => testFiles(join('test', s))), ...askedFiles];
  if (!asked.length) files.push(...SUITES.flatMap((s) => testFiles(join('test', s))));
  if (!files.length) {
    console.error('error: no test files found');
    return 1;
  }

  if (suites.some((s) => NEEDS_BUILD.has(s))) {
    const code = await run('npm', ['run', '--silent', 'build']);
    if (code !== 0) return code;
  }

  const env: NodeJS.ProcessEnv = { ...process.env };
  // EDA_E2E_BINARY=standalone: the e2e checks drive the standalone executable instead of the npm
  // build (test/e2e/tmux.ts binArgv), built once here, cached by content (test/e2e/standaloneBuild.ts).
  if (process.env.EDA_E2E_BINARY === 'standalone' && suites.some((s) => NEEDS_BUILD.has(s))) {
    const { ensureStandalone } = await import('../test/e2e/standaloneBuild.js');
    env.EDA_STANDALONE_BIN = ensureStandalone(process.cwd(), (msg) => console.error(msg));
  }
  let stop: (() => Promise<void>) | undefined;
  if (suites.some((s) => NEEDS_STACK.has(s))) {
    const { startStack } = await import('../test/stack/stack.js');
    const stack = await startStack();
    env.EDA_TEST_STACK = stack.envFile;
    stop = stack.stop;
  }
  try {
    // Two files at a time: the machines have two cores, and each integration file uses its own namespace.
    return await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], env);
  } finally {
    await stop?.();
  }
}

process.exitCode = await main();
