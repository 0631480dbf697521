// Entry point of the interactive TUI (called by cli.tsx on a TTY): opens the store, enters the
// alternate screen, renders the app, and restores the terminal on every exit path.
import React from 'react';
import { render } from 'ink';
import type { GlobalOptions } from '../cliOptions.js';
import { openStore, listContexts } from '../store/connect.js';
import { describeError, StoreError } from '../store/errors.js';
import type { ContextInfo, Store } from '../store/types.js';
import { enableDebugLog, debug } from '../debug.js';
import { App } from './app.js';
import { enterFullScreen } from './terminal.js';
import { createEditorLauncher } from './editor.js';
import { themeFor } from './theme.js';

export async function runTui(options: GlobalOptions): Promise<number> {
  if (options.debug) enableDebugLog(options.debug);
  const connect = (extra: { context?: string; namespace?: string } = {}): Promise<Store> =>
    openStore({
      kubeconfig: options.kubeconfig,
      context: extra.context ?? options.context,
      namespace: extra.namespace ?? options.namespace,
      file: options.file,
      demo: options.demo,
      requestTimeoutMs: options.requestTimeoutMs,
      readOnly: options.readOnly,
    });
  let store: Store;
  try {
    store = await connect();
  } catch (err) {
    const d = describeError(err);
    process.stderr.write(`error: ${d.message}\n${d.hint ? `hint: ${d.hint}\n` : ''}`);
    return err instanceof StoreError ? err.exitCode : 1;
  }
  const demoNotice = store.location.backend === 'demo' ? `demo sandbox: edits go to a copy at ${store.location.file}` : undefined;
  if (demoNotice) process.stderr.write(`${demoNotice}\n`);
  debug(`tui start backend=${store.location.backend} namespace=${store.location.namespace}`);

  const guard = enterFullScreen(process.stdout, process.stdin, process as never);
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  const suspender = {
    suspend() {
      guard.restore();
    },
    resume() {
      if (process.stdin.isTTY) process.stdin.setRawMode(true);
      guard.reenter();
      // The screen was cleared: make Ink paint the whole frame again.
      instance.clear();
      instance.rerender(element());
    },
  };
  const element = () => (
    <App
      store={store}
      readOnly={options.readOnly}
      editor={createEditorLauncher(suspender)}
      listContexts={store.location.backend === 'cluster' ? () => listContexts({ kubeconfig: options.kubeconfig }) : undefined}
      openContext={(ctx: ContextInfo) => connect({ context: ctx.name, namespace: ctx.namespace ?? options.namespace })}
      onExit={(code) => finish(code)}
      theme={themeFor(process.env, process.stdout)}
      notice={demoNotice}
    />
  );
  const instance = render(element(), { exitOnCtrlC: false, patchConsole: true, stdout: process.stdout, stdin: process.stdin });
  let code: number;
  try {
    code = await done;
  } finally {
    instance.unmount();
    guard.restore();
    guard.dispose();
  }
  if (demoNotice) process.stderr.write(`${demoNotice}\n`);
  debug(`tui exit code=${code}`);
  return code;
}
