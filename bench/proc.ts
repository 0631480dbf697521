// Process measurements for the bench: wall time from spawn to exit and peak RSS (VmHWM), the
// same way for our program and its peer (kubectl, htpasswd), alternating runs so drift on a noisy
// machine hits both alike.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Command {
  label: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  wallMs: number;
  /** Peak resident set size in KiB (GNU time %M), when measured. */
  maxRssKiB?: number;
  code: number;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);

/** Runs once; with `rss`, under GNU time (-f %M) so the peak RSS of the command itself is known. */
export async function runOnce(
  cmd: Command,
  options: { rss?: boolean; keepStdout?: boolean } = {},
): Promise<RunResult> {
  const dir = options.rss && hasGnuTime ? mkdtempSync(join(tmpdir(), 'eda-bench-time-')) : undefined;
  const out = dir ? join(dir, 'rss') : '';
  const argv = dir ? [GNU_TIME, '-f', '%M', '-o', out, ...cmd.argv] : cmd.argv;
  const started = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), {
    stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'],
    env: cmd.env ?? process.env,
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => stdout.push(c));
  child.stderr?.on('data', (c: Buffer) => stderr.push(c));
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, signal) => resolve(c ?? (signal ? 128 : 0)));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  let maxRssKiB: number | undefined;
  if (dir) {
    const text = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    maxRssKiB = Number(text);
    rmSync(dir, { recursive: true, force: true });
  }
  const result = {
    wallMs,
    maxRssKiB,
    code,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
  if (code !== 0) throw new Error(`${cmd.label} exited ${code}: ${result.stderr.slice(0, 500)}`);
  return result;
}

/** `runs` alternating runs of each command after one warm-up run each (page cache, kubectl's discovery cache). */
export async function alternate(
  cmds: Command[],
  runs: number,
  options: { rss?: boolean } = {},
): Promise<RunResult[][]> {
  for (const c of cmds) await runOnce(c, options);
  const results: RunResult[][] = cmds.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of cmds.entries()) results[k].push(await runOnce(c, options));
  }
  return results;
}
