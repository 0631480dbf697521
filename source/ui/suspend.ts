// Ctrl+Z the way a shell user expects it of a full-screen program (less, vim, k9s): the terminal
// is handed back exactly as it was (cooked mode, cursor shown, normal screen), the process stops
// itself with SIGTSTP so the shell's job control takes over, and `fg` (SIGCONT) takes the terminal
// again and repaints the whole frame. In raw mode the terminal sends Ctrl+Z to us as the byte 0x1a
// instead of signalling, so the key registry runs `suspend()`; an external `kill -TSTP` is caught too.

export interface SuspendProc {
  pid: number;
  kill(pid: number, signal: string): unknown;
  on(event: string, listener: () => void): unknown;
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

export interface SuspendHooks {
  /** Give the terminal back (TerminalGuard.restore: cooked mode, cursor, normal screen). */
  restore(): void;
  /** Take it again: raw mode, alternate screen (the screen is blank afterwards). */
  reenter(): void;
  /** Paint the whole frame again (Ink only writes what changed, and the screen is empty). */
  redraw(): void;
}

export interface SuspendControl {
  /** Stop the process now (Ctrl+Z); returns at once, the work resumes on SIGCONT. */
  suspend(): void;
  /**
   * The terminal belongs to a child for a while (the $EDITOR, run with spawnSync, so no JS runs):
   * our SIGTSTP handler is removed meanwhile, so an editor stopping its process group (vim's Ctrl+Z
   * is kill(0, SIGTSTP)) stops us with it by the default action, the shell gets its prompt back, and
   * `fg` continues both, the terminal still the editor's.
   */
  setHandedOver(on: boolean): void;
  /** Remove the signal handlers (after the TUI ended). */
  dispose(): void;
}

export function createSuspendControl(hooks: SuspendHooks, proc: SuspendProc): SuspendControl {
  let stopped = false;
  let handedOver = false;
  const onCont = () => {
    if (!stopped) return;
    stopped = false;
    proc.on('SIGTSTP', onTstp);
    hooks.reenter();
    hooks.redraw();
  };
  const suspend = () => {
    if (stopped || handedOver) return;
    stopped = true;
    hooks.restore();
    proc.once('SIGCONT', onCont);
    // Our own SIGTSTP handler would swallow the signal: without it the default action stops us.
    proc.off('SIGTSTP', onTstp);
    proc.kill(proc.pid, 'SIGTSTP');
  };
  // `kill -TSTP <pid>` from elsewhere: the same orderly stop, never a stop in raw mode.
  const onTstp = () => suspend();
  proc.on('SIGTSTP', onTstp);
  return {
    suspend,
    setHandedOver(on) {
      if (on === handedOver) return;
      handedOver = on;
      if (on) proc.off('SIGTSTP', onTstp);
      else proc.on('SIGTSTP', onTstp);
    },
    dispose() {
      proc.off('SIGTSTP', onTstp);
      proc.off('SIGCONT', onCont);
    },
  };
}
