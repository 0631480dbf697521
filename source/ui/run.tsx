// Entry point of the interactive TUI (called by cli.tsx on a TTY): opens the store, enters the
// alternate screen, renders the app, and restores the terminal on every exit path.
import React from 'react';
import { render } from 'ink';
import { connectOptions, type GlobalOptions } from '../cliOptions.js';
import { openStore, listContexts } from '../store/connect.js';
import type { ContextInfo, Location, Store } from '../store/types.js';
import { enableDebugLog, debug } from '../debug.js';
import { App } from './app.js';
import { enterFullScreen, markTerminalLost, terminalLost } from './terminal.js';
import { RENDER_OPTIONS } from './renderOptions.js';
import { createEditorLauncher } from './editor.js';
import { themeFor } from './theme.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import { createSuspendControl } from './suspend.js';
import { MannersProvider } from './manners.js';
import { SessionJournal } from './state/journal.js';
import { terminalClipboard } from './clipboard.js';
import { contextMarksPath } from './contextMarks.js';

/** Longer than Ink's render throttle window at RENDER_OPTIONS.maxFps, so the two frames are two writes. */
const REDRAW_DELAY_MS = Math.ceil(2000 / RENDER_OPTIONS.maxFps) + 10;

/** `early`: the store opened (and its first snapshot started) while this module loaded. */
export async function runTui(options: GlobalOptions, early: Promise<Store>): Promise<number> {
  if (options.debug) enableDebugLog(options.debug);
  const connect = (extra: { context?: string; namespace?: string } = {}): Promise<Store> =>
    openStore(connectOptions(options, extra));
  // A store that cannot be opened is reported by the CLI like any command's failure (same
  // message, hint and exit code), before the terminal leaves the normal screen.
  const store = await early;
  const demoNotice =
    store.location.backend === 'demo'
      ? `demo sandbox: edits go to a copy at ${store.location.file}`
      : undefined;
  if (demoNotice) process.stderr.write(`${demoNotice}\n`);
  debug(`tui start backend=${store.location.backend} namespace=${store.location.namespace}`);

  const guard = enterFullScreen(process.stdout, process.stdin, process as never);
  // A terminal that goes away ends stdin (or fails it with EIO) before or instead of a SIGHUP.
  process.stdin.once('end', markTerminalLost);
  process.stdin.once('error', markTerminalLost);
  (globalThis as { __edaTerminalLost?: () => boolean }).__edaTerminalLost = terminalLost;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  // The screen was cleared: make Ink paint the whole frame again. Ink writes only a frame that
  // differs from its last one, so an empty frame goes first and the real one after Ink's render
  // throttle window (1000/maxFps ms), which then rewrites every line.
  let blank = false;
  const redraw = () => {
    blank = true;
    instance.rerender(element());
    setTimeout(() => {
      blank = false;
      instance.rerender(element());
    }, REDRAW_DELAY_MS);
  };
  const reenter = () => {
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    guard.reenter();
  };
  const jobControl = createSuspendControl(
    { restore: () => guard.restore(), reenter, redraw },
    process as never,
  );
  const suspender = {
    suspend() {
      guard.restore();
      jobControl.setHandedOver(true);
    },
    resume() {
      jobControl.setHandedOver(false);
      reenter();
      redraw();
    },
  };
  // --plain, or Ink's own screen-reader switch: linear text (plain.ts) and Ink's screen-reader output.
  const plain = options.plain === true || process.env.INK_SCREEN_READER === 'true';
  const journal = new SessionJournal();
  const clipboard = terminalClipboard(process.stdout);
  const marksPath = contextMarksPath();
  const element = () => (
    <MannersProvider plain={plain} clipboard={clipboard} marksPath={marksPath} journal={journal}>
      <App
        blank={blank}
        onSuspend={jobControl.suspend}
        store={store}
        readOnly={options.readOnly}
        editor={createEditorLauncher(suspender)}
        listContexts={
          store.location.backend === 'cluster'
            ? () => listContexts({ kubeconfig: options.kubeconfig })
            : undefined
        }
        openContext={(ctx: ContextInfo) =>
          connect({ context: ctx.name, namespace: ctx.namespace ?? options.namespace })
        }
        onExit={(code) => finish(code)}
        theme={themeFor(process.env, process.stdout)}
        notice={demoNotice}
      />
    </MannersProvider>
  );
  const instance = render(element(), {
    ...RENDER_OPTIONS,
    isScreenReaderEnabled: plain,
    exitOnCtrlC: false,
    patchConsole: true,
    stdout: process.stdout,
    stdin: process.stdin,
  });
  // Asked for at once: Ink settles this promise only if it exists when Ink unmounts.
  const inkExit = instance.waitUntilExit();
  let outcome: ExitOutcome;
  try {
    outcome = await waitForExit(done, inkExit);
  } finally {
    instance.unmount();
    guard.restore();
    guard.dispose();
    jobControl.dispose();
  }
  if (outcome.error !== undefined) {
    const err = outcome.error;
    debug(`tui internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.stderr.write(`${internalErrorLine(err)}\n`);
    return 1;
  }
  // After the terminal is restored, so it stays in the scrollback: what this session wrote.
  const summary = journal.summary(whereLabel(store.location));
  if (summary) process.stderr.write(`${summary}\n`);
  if (demoNotice) process.stderr.write(`${demoNotice}\n`);
  debug(`tui exit code=${outcome.code}`);
  return outcome.code;
}

export type ExitOutcome = { code: number; error?: undefined } | { code: 1; error: unknown };

/**
 * The TUI ends when the app asks to (done) or when Ink gives up: an exception thrown while React
 * renders is caught by Ink's error boundary, which unmounts and rejects waitUntilExit(). Without
 * watching that, the process would end silently with status 0 once Ink let go of stdin.
 */
export function waitForExit(done: Promise<number>, inkExit: Promise<unknown>): Promise<ExitOutcome> {
  return Promise.race([
    done.then((code): ExitOutcome => ({ code })),
    inkExit.then(
      // Ink unmounted without the app asking (nothing left to show): a normal end.
      (): ExitOutcome => ({ code: 0 }),
      (error: unknown): ExitOutcome => ({ code: 1, error: error ?? new Error('the interface stopped') }),
    ),
  ]);
}

/** One line for the operator's screen; the stack goes only to the --debug log. */
export function internalErrorLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `epinio-dex-admin: internal error: ${sanitizeForTerminal(message).replace(/\s*\n\s*/g, ' ')}`;
}

/** Where the session worked, for the exit summary: "context prod-eu, namespace epinio". */
export function whereLabel(loc: Location): string {
  const place =
    loc.backend === 'cluster' ? `context ${loc.context ?? '(current)'}` : `${loc.backend} ${loc.file ?? ''}`;
  return sanitizeForTerminal(`${place.trim()}, namespace ${loc.namespace}`);
}
