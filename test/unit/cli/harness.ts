// Runs the CLI in-process with captured streams (fast, exact stdout/stderr), or as a real child
// process (for what only a process shows: exit, TTY detection, argv). Shared by the CLI tests.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../source/cli.js';
import type { InStream } from '../../../source/commands/context.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURE = join(ROOT, 'test/unit/cli/fixtures/epinio.yaml');

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string | Buffer;
  stdinTTY?: boolean;
  stdoutTTY?: boolean;
  env?: NodeJS.ProcessEnv;
  programName?: string;
}

class Capture {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export async function run(argv: string[], options: RunOptions = {}): Promise<Result> {
  const stdin = new PassThrough() as PassThrough & InStream;
  stdin.isTTY = options.stdinTTY ?? false;
  stdin.end(options.stdin ?? '');
  const stdout = new Capture(options.stdoutTTY ?? false);
  const stderr = new Capture(false);
  const code = await runCli(argv, {
    stdin,
    stdout,
    stderr,
    env: options.env ?? {},
    programName: options.programName ?? 'epinio-dex-admin',
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A private copy of the fixture manifest, for commands that write. */
export function fixtureCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eda-cli-'));
  const file = join(dir, 'epinio.yaml');
  copyFileSync(FIXTURE, file);
  return file;
}

/** The CLI from source in a child process (stdin/stdout are pipes, never a TTY). */
export function spawnCli(argv: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Result {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/unit/cli/entry.ts'), ...argv], {
    cwd: ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...options.env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
