// Time to first useful frame in a real pty: a private tmux server (its own socket), one session per
// run started with the command, capture-pane polled until a known text appears. Our TUI and its
// peer are measured the same way, so tmux's own overhead is in both figures.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export class TmuxServer {
  private n = 0;
  readonly socket = `eda-bench-${process.pid}`;

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    return run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  async start(): Promise<void> {
    await this.tmux('new-session', '-d', '-s', 'base', '-x', '120', '-y', '40');
    // A peer that exits at once (kubectl) must leave its output on screen.
    await this.tmux('set-option', '-g', 'remain-on-exit', 'on');
  }

  /** Milliseconds from starting the session to `marker` on screen. */
  async timeToText(
    argv: string[],
    marker: string,
    env: Record<string, string>,
    timeoutMs = 30_000,
  ): Promise<number> {
    return (await this.timeAndPeak(argv, marker, env, timeoutMs)).ms;
  }

  /** The same, and the program's peak RSS until then (VmHWM of the pane's process, in KiB). */
  async timeAndPeak(
    argv: string[],
    marker: string,
    env: Record<string, string>,
    timeoutMs = 30_000,
  ): Promise<{ ms: number; peakKiB: number }> {
    const name = `r${++this.n}`;
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const started = process.hrtime.bigint();
    await this.tmux(
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      '120',
      '-y',
      '40',
      ...envArgs,
      argv.map(quote).join(' '),
    );
    try {
      for (;;) {
        const { stdout } = await this.tmux('capture-pane', '-p', '-t', name);
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        if (stdout.includes(marker)) {
          const pid = (await this.tmux('list-panes', '-t', name, '-F', '#{pane_pid}')).stdout.trim();
          const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
          return { ms: elapsed, peakKiB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) };
        }
        if (elapsed > timeoutMs)
          throw new Error(
            `"${marker}" did not appear within ${timeoutMs} ms for ${argv.join(' ')}; screen:\n${stdout}`,
          );
      }
    } finally {
      await this.tmux('kill-session', '-t', name).catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
  }
}
