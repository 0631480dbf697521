// Full-screen discipline: enter the alternate screen once and restore the operator's terminal on
// every way out (normal exit, Ctrl+C, SIGTERM, SIGHUP, crash). Restoring twice is harmless.
export const ALT_SCREEN_ENTER = '\x1b[?1049h';
export const ALT_SCREEN_LEAVE = '\x1b[?1049l';
export const SHOW_CURSOR = '\x1b[?25h';
const CLEAR = '\x1b[2J\x1b[H';
// Bracketed paste: the terminal marks pasted text, so a paste is one text insertion (keys.ts).
export const PASTE_ON = '\x1b[?2004h';
export const PASTE_OFF = '\x1b[?2004l';

interface Out {
  write(s: string): boolean;
}
interface In {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}
interface Proc {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code?: number): never;
  stderr: Out;
  /** Only the real process has it: a hangup then ends it by dieOfHangup. */
  kill?(pid: number, signal: string): unknown;
}

export interface TerminalGuard {
  /** Leave the alternate screen, show the cursor, cooked input. Idempotent. */
  restore(): void;
  /** Back into the alternate screen after a suspension (external editor). */
  reenter(): void;
  /** Remove the process handlers (after a normal exit). */
  dispose(): void;
}

const SIGNALS: Record<string, number> = { SIGTERM: 15, SIGHUP: 1, SIGINT: 2 };

let lost = false;
/** The terminal hung up (SIGHUP, or its input ended): see dieOfHangup. */
export const markTerminalLost = (): void => void (lost = true);
export const terminalLost = (): boolean => lost;

/**
 * Ends the process after the terminal is gone. process.exit makes Node restore the terminal's
 * settings (ResetStdio), which fails with EIO on a hung-up terminal, and Node then aborts on an
 * assertion (SIGABRT; a core dump would hold the process's secrets). Dying of SIGHUP with its
 * default action skips that and dumps no core; the shell sees 128+1.
 */
export function dieOfHangup(): void {
  // What 'exit' listeners do (restore, remove the demo copy) still happens.
  process.emit('exit', 129);
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
}

export function enterFullScreen(stdout: Out, stdin: In, proc: Proc): TerminalGuard {
  let inside = false;
  const enter = () => {
    if (inside) return;
    stdout.write(ALT_SCREEN_ENTER + CLEAR + PASTE_ON);
    inside = true;
  };
  const restore = () => {
    if (!inside) return;
    inside = false;
    try {
      if (stdin.isTTY) stdin.setRawMode?.(false);
    } catch {
      // stdin may already be closed (SIGHUP); the escape sequences below still matter.
    }
    // Cursor visibility is saved with the alternate screen by some terminals (tmux): show it on both.
    stdout.write(PASTE_OFF + SHOW_CURSOR + ALT_SCREEN_LEAVE + SHOW_CURSOR);
  };
  const handlers: [string, (...args: unknown[]) => void][] = [];
  const on = (event: string, fn: (...args: unknown[]) => void) => {
    handlers.push([event, fn]);
    proc.on(event, fn);
  };
  for (const [sig, num] of Object.entries(SIGNALS)) {
    on(sig, () => {
      restore();
      if (sig === 'SIGHUP' && proc.kill) {
        markTerminalLost();
        dieOfHangup();
      }
      proc.exit(128 + num);
    });
  }
  const crash = (err: unknown) => {
    restore();
    // A crash message without the stack on the operator's screen; the stack is not actionable there.
    proc.stderr.write(
      `epinio-dex-admin: internal error: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    proc.exit(1);
  };
  on('uncaughtException', crash);
  on('unhandledRejection', crash);
  on('exit', restore);
  enter();
  return {
    restore,
    reenter: enter,
    dispose() {
      for (const [event, fn] of handlers) proc.off(event, fn);
      handlers.length = 0;
    },
  };
}
