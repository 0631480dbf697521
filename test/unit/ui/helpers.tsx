// Shared by the Ink screen tests: a demo file store on a private temp copy (with a call log, so a
// test can assert what was written), the app rendered at a fixed size, and waiting for content.
import React from 'react';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { createDemoStore } from '../../../source/store/demo/demo.js';
import type { Store } from '../../../source/store/types.js';
import { App, type AppProps } from '../../../source/ui/app.js';
import { monoTheme } from '../../../source/ui/theme.js';

export const KEY = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  up: '\x1b[A',
  down: '\x1b[B',
  backspace: '\x7f',
  ctrlC: '\x03',
};

export type CallLog = { method: string; args: unknown[] }[];

/** A demo store (file store on a temp copy) whose every method call is recorded. */
/** A private backups directory for a second store in a test (the colleague who writes meanwhile):
 *  the backups code refuses a shared one such as /tmp, which is mode 1777. */
export function privateBackupDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'eda-colleague-backups-'));
}

export async function spiedDemoStore(
  options: { readOnly?: boolean } = {},
): Promise<{ store: Store; calls: CallLog; path: string }> {
  const backupDir = await mkdtemp(join(tmpdir(), 'eda-ui-backups-'));
  const real = await createDemoStore({ backupDir, readOnly: options.readOnly });
  const calls: CallLog = [];
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push({ method: String(prop), args });
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Store;
  return { store, calls, path: real.location.file! };
}

export const writes = (calls: CallLog) =>
  calls.filter((c) =>
    [
      'saveDexConfig',
      'setUserPassword',
      'setUserRoles',
      'createUser',
      'deleteUser',
      'restartDex',
      'restoreBackup',
    ].includes(c.method),
  );

export function renderApp(store: Store, props: Partial<AppProps> = {}) {
  const exits: number[] = [];
  const r = render(
    <App
      store={store}
      readOnly={false}
      onExit={(c) => exits.push(c)}
      theme={monoTheme}
      size={{ columns: 120, rows: 40 }}
      {...props}
    />,
  );
  return { ...r, exits };
}

/** Polls until the condition holds (no fixed sleeps); fails with the last frame. */
export async function waitFor(
  frame: () => string | undefined,
  check: (f: string) => boolean,
  what: string,
  timeoutMs = 8000,
): Promise<string> {
  const start = Date.now();
  for (;;) {
    const f = frame() ?? '';
    if (check(f)) return f;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const waitText = (frame: () => string | undefined, text: string) =>
  waitFor(frame, (f) => f.includes(text), JSON.stringify(text));

/** Types characters one key at a time, as a person would. */
export async function type(stdin: { write(s: string): void }, text: string): Promise<void> {
  for (const ch of text) {
    stdin.write(ch);
    await new Promise((r) => setImmediate(r));
  }
}

export async function press(stdin: { write(s: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    // Let Ink parse the key and React commit before the next one (a lone ESC waits for a follow-up byte).
    await new Promise((r) => setTimeout(r, k === KEY.escape ? 60 : 5));
  }
}
