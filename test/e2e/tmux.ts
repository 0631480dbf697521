// A small driver for the built binary in a real pseudo-terminal: tmux on a private socket per
// session (`tmux -L <unique>`, no user configuration), so tests can run in parallel and never touch
// an operator's tmux server.
//
// The command runs under a non-interactive `sh` wrapper, never an interactive shell: bash restores
// its own saved terminal modes when a job dies of a signal, which would hide exactly the bugs the
// terminal-safety tests look for. After the program exits the wrapper prints a marker with the exit
// code, then `stty -a` as seen from inside the pane, and then waits so the pane stays readable.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TMUX = process.env.TMUX_BIN || '/usr/bin/tmux';
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface StartOptions {
  /** Extra environment for the program (added to a small clean environment). */
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
  cwd?: string;
}

export interface ExitInfo {
  /** Exit status as the wrapper shell saw it (128+n for a signal). */
  code: number;
  /** The `stty -a` output printed in the pane after the program exited. */
  stty: string;
  /** Whole screen at that moment (plain text). */
  screen: string;
}

export interface WaitOptions {
  timeoutMs?: number;
  escapes?: boolean;
  /** Keep waiting after the program exited (default: fail at once, showing the screen). */
  afterExit?: boolean;
}

export interface TmuxSession {
  readonly socket: string;
  readonly target: string;
  /** Plain text of the visible pane (`capture-pane -p`), or with SGR/escapes (`-e`). */
  screen(options?: { escapes?: boolean }): Promise<string>;
  lines(options?: { escapes?: boolean }): Promise<string[]>;
  /** Polls the screen until it contains the text / matches the regex; fails with the last screen. */
  waitFor(pattern: string | RegExp, options?: WaitOptions): Promise<string>;
  /** Polls until the predicate holds on the screen; fails with `what` and the last screen. */
  waitUntil(predicate: (screen: string) => boolean, what: string, options?: WaitOptions): Promise<string>;
  /** tmux key names, each sent as its own send-keys call ('Enter', 'Escape', 'Tab', 'C-c', 'j', 'Up'). */
  keys(...keys: string[]): Promise<void>;
  /**
   * One key, then wait for its effect (the pattern, or any change of the screen): the next key then
   * reaches the program in a read of its own, as an operator's keystrokes do.
   */
  press(key: string, until?: string | RegExp, options?: { timeoutMs?: number }): Promise<string>;
  /** Literal text (`send-keys -l`). */
  type(text: string): Promise<void>;
  altScreenOn(): Promise<boolean>;
  paneTitle(): Promise<string>;
  /** Pid of the pane's process (the wrapper shell). */
  panePid(): Promise<number>;
  /** Pid of the program (the wrapper's child), waiting until it exists. */
  programPid(options?: { timeoutMs?: number }): Promise<number>;
  /** Waits until the program has exited and the wrapper printed its status and `stty -a`. */
  waitExit(options?: { timeoutMs?: number }): Promise<ExitInfo>;
  display(format: string): Promise<string>;
  stop(): Promise<void>;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const EXIT_MARK = '__EDA_EXIT__';

class ExitedError extends Error {}
const STTY_END = '__EDA_STTY_END__';

async function tmux(socket: string, args: string[]): Promise<string> {
  const { stdout } = await run(TMUX, ['-L', socket, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    // A UTF-8 locale for the tmux server and client: wide characters are measured as such.
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
  });
  return stdout;
}

/** Starts `argv` (program and arguments, no shell parsing) in a detached tmux session. */
export async function start(argv: readonly string[], options: StartOptions = {}): Promise<TmuxSession> {
  const socket = `eda-${process.pid}-${randomBytes(4).toString('hex')}`;
  const target = 'main';
  const cols = options.cols ?? 120;
  const rows = options.rows ?? 40;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TERM: 'tmux-256color',
    ...options.env,
  };
  const envArgs = Object.entries(env)
    .map(([k, v]) => shellQuote(`${k}=${v}`))
    .join(' ');
  // `trap : INT` keeps the wrapper alive if a ^C ever reaches the process group (cooked mode):
  // a caught signal is reset to default in the child at exec, so the program is unaffected.
  const script = [
    'trap : INT',
    `env -i ${envArgs} ${argv.map(shellQuote).join(' ')}`,
    `rc=$?; echo; echo "${EXIT_MARK}=$rc"`,
    'stty -a',
    `echo ${STTY_END}`,
    'exec sleep 3600',
  ].join('; ');
  await tmux(socket, [
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    target,
    '-x',
    String(cols),
    '-y',
    String(rows),
    ...(options.cwd ? ['-c', options.cwd] : []),
    `sh -c ${shellQuote(script)}`,
  ]);
  // Keep the pane (and its text) if the wrapper dies anyway; fixed size regardless of clients.
  await tmux(socket, ['set-option', '-t', target, 'remain-on-exit', 'on']).catch(() => undefined);
  await tmux(socket, ['set-option', '-g', 'history-limit', '5000']).catch(() => undefined);

  const socketPath = (await tmux(socket, ['display-message', '-p', '#{socket_path}']).catch(() => '')).trim();
  const capture = async (escapes?: boolean): Promise<string> =>
    tmux(socket, ['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', target]);

  const session: TmuxSession = {
    socket,
    target,
    screen: (o) => capture(o?.escapes),
    async lines(o) {
      const text = await capture(o?.escapes);
      return text.replace(/\n$/, '').split('\n');
    },
    async waitUntil(predicate, what, o) {
      const deadline = Date.now() + (o?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      let last = '';
      for (;;) {
        try {
          last = await capture(o?.escapes);
          if (predicate(last)) {
            // A frame may be captured half-drawn: return it once two captures agree.
            await sleep(60);
            const again = await capture(o?.escapes);
            if (again === last) return last;
            last = again;
            if (predicate(again)) continue;
          }
          if (!o?.afterExit && last.includes(EXIT_MARK)) {
            throw new ExitedError(
              `the program exited while waiting for ${what}; screen:\n${last.replace(/\x1b/g, '\\e')}`,
            );
          }
        } catch (err) {
          if (err instanceof ExitedError) throw err;
          last = `(capture failed: ${(err as Error).message})`;
        }
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what}; last screen:\n${last.replace(/\x1b/g, '\\e')}`);
        }
        await sleep(100);
      }
    },
    waitFor(pattern, o) {
      const test = (s: string) => (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s));
      return session.waitUntil(
        test,
        typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern),
        o,
      );
    },
    async keys(...keys) {
      for (const k of keys) await tmux(socket, ['send-keys', '-t', target, k]);
    },
    async press(key, until, o) {
      const before = await capture(false);
      await tmux(socket, ['send-keys', '-t', target, key]);
      if (until !== undefined) return session.waitFor(until, o);
      return session.waitUntil((now) => now !== before, `the screen to change after key ${key}`, o);
    },
    async type(text) {
      await tmux(socket, ['send-keys', '-t', target, '-l', text]);
    },
    async display(format) {
      return (await tmux(socket, ['display-message', '-p', '-t', target, format])).replace(/\n$/, '');
    },
    async altScreenOn() {
      return (await session.display('#{alternate_on}')) === '1';
    },
    paneTitle: () => session.display('#{pane_title}'),
    async panePid() {
      return Number(await session.display('#{pane_pid}'));
    },
    async programPid(o) {
      const shell = await session.panePid();
      const deadline = Date.now() + (o?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      for (;;) {
        const children = childPids(shell);
        // The wrapper's child is `env -i ...`, which execs the program in place (same pid).
        if (children.length) return children[0]!;
        if (Date.now() > deadline) throw new Error(`no child process under the pane shell ${shell}`);
        await sleep(50);
      }
    },
    async waitExit(o) {
      const screen = await session.waitFor(STTY_END, {
        timeoutMs: o?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        afterExit: true,
      });
      // The status and stty output may have scrolled: read the whole history.
      const all = await tmux(socket, ['capture-pane', '-p', '-J', '-S', '-', '-t', target]);
      const m = new RegExp(`${EXIT_MARK}=(\\d+)`).exec(all);
      const sttyStart = all.indexOf('speed ', m ? m.index : 0);
      const stty = sttyStart >= 0 ? all.slice(sttyStart, all.indexOf(STTY_END, sttyStart)) : '';
      return { code: m ? Number(m[1]) : -1, stty, screen };
    },
    async stop() {
      await tmux(socket, ['kill-server']).catch(() => undefined);
      if (socketPath.includes(socket)) rmSync(socketPath, { force: true });
    },
  };
  return session;
}

/** Direct children of a process (Linux /proc). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The flags of `stty -a` that matter for a usable shell afterwards: echo, canonical mode, signals. */
export function sttyFlags(stty: string): { echo: boolean; icanon: boolean; isig: boolean } {
  const words = new Set(stty.split(/[\s;]+/));
  return { echo: words.has('echo'), icanon: words.has('icanon'), isig: words.has('isig') };
}

/** Runs `fn` with a started session and always kills its tmux server afterwards. */
export async function withSession<T>(
  argv: readonly string[],
  options: StartOptions,
  fn: (s: TmuxSession) => Promise<T>,
): Promise<T> {
  const s = await start(argv, options);
  try {
    return await fn(s);
  } finally {
    await s.stop();
  }
}

const ROOT = new URL('../../', import.meta.url).pathname;

/** The built binary in the working tree (`npm run build` first; the runner does it for e2e and reliability). */
export const BIN = join(ROOT, 'bin/epinio-dex-admin.js');

function distState(dir: string): string {
  try {
    return readdirSync(dir)
      .sort()
      .map((f) => `${f}:${statSync(join(dir, f)).size}`)
      .join(',');
  } catch {
    return '';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

let snapshot: string | undefined;
/**
 * A private copy of bin/ + dist/ taken once per test process. The working tree is shared: another
 * `npm run build` empties dist/ for a few seconds, which must not fail a TUI that is starting. The
 * copy is taken when dist/ is complete and not changing, so it is the build the runner just made.
 */
export function builtBin(): string {
  if (snapshot) return snapshot;
  const dist = join(ROOT, 'dist');
  const deadline = Date.now() + 120_000;
  for (;;) {
    const before = distState(dist);
    if (before.includes('cli.js:') && before.includes('password-worker.js:')) {
      sleepSync(500);
      if (distState(dist) === before) {
        const dir = mkdtempSync(join(tmpdir(), 'eda-bin-'));
        cpSync(dirname(BIN), join(dir, 'bin'), { recursive: true });
        cpSync(dist, join(dir, 'dist'), { recursive: true });
        if (distState(dist) === before && distState(join(dir, 'dist')) === before) {
          snapshot = join(dir, 'bin/epinio-dex-admin.js');
          process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
          return snapshot;
        }
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline)
      throw new Error(
        `dist/ is missing or keeps changing: run \`npm run build\` (state: ${before || 'empty'})`,
      );
    sleepSync(250);
  }
}

/** The standalone executable when the runner built one for this run (EDA_E2E_BINARY=standalone). */
export const STANDALONE_BIN = process.env.EDA_STANDALONE_BIN || undefined;

/** argv for the built binary (private snapshot) under the current node, or the standalone executable. */
export function binArgv(...args: string[]): string[] {
  if (STANDALONE_BIN) return [STANDALONE_BIN, ...args];
  return [process.execPath, builtBin(), ...args];
}

const ZERO_WIDTH: [number, number][] = [
  [0x0300, 0x036f],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0xfe00, 0xfe0f],
  [0x1f3fb, 0x1f3ff],
];
const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];
const inRanges = (cp: number, ranges: [number, number][]) => ranges.some(([a, b]) => cp >= a && cp <= b);

/** Terminal columns of one code point (the subset of wcwidth these tests' texts need). */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (inRanges(cp, ZERO_WIDTH)) return 0;
  return inRanges(cp, WIDE) ? 2 : 1;
}

/** Terminal columns of a captured line. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

/** Display column (0-based) where the substring at UTF-16 `index` starts. */
export function displayColumn(line: string, index: number): number {
  return displayWidth(line.slice(0, index));
}
