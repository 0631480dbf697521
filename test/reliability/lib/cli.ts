// Runs the built CLI (`node bin/epinio-dex-admin.js`, what `npm run build` produces and the runner
// builds before this suite) as a child process, capturing stdout/stderr, and optionally sampling the
// argv and environment of every process on the machine while it runs (for the canary checks).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin/epinio-dex-admin.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** cmdline / environ texts seen while the command ran (when sampling). */
  samples: { pid: number; what: 'cmdline' | 'environ'; text: string }[];
}

/** PIDs of `root` and all its descendants, from /proc/<pid>/stat. */
function descendants(root: number): Set<number> {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const out = new Set<number>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!out.has(pid) && out.has(ppid)) {
        out.add(pid);
        grew = true;
      }
    }
  }
  return out;
}

function sampleAll(root: number, into: CliResult['samples'], seen: Set<string>): void {
  // argv of every process on the machine (a secret in any argv is readable by every local user);
  // the environment of our own process tree.
  const ours = descendants(root);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    for (const what of ours.has(pid) ? (['cmdline', 'environ'] as const) : (['cmdline'] as const)) {
      try {
        const text = readFileSync(`/proc/${pid}/${what}`).toString('utf8').replace(/\0/g, ' ');
        const key = `${pid}:${what}:${text}`;
        if (!seen.has(key)) {
          seen.add(key);
          into.push({ pid, what, text });
        }
      } catch {
        // exited meanwhile, or not readable
      }
    }
  }
}

export function runBin(
  argv: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; sample?: boolean; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const result: CliResult = { code: -1, stdout: '', stderr: '', samples: [] };
    const seen = new Set<string>();
    child.stdout.on('data', (c: Buffer) => (result.stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (result.stderr += c.toString('utf8')));
    let sampler: NodeJS.Timeout | undefined;
    if (options.sample && child.pid) {
      const tick = (): void => sampleAll(child.pid!, result.samples, seen);
      tick();
      sampler = setInterval(tick, 15);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (sampler) clearInterval(sampler);
      result.code = code ?? (signal ? 128 : -1);
      resolve(result);
    });
    child.stdin.end(options.stdin ?? '');
  });
}
