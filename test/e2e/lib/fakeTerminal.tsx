// A 120x40 terminal for Ink in-process: what it writes, when, and a stdin to type into, with the
// real App rendered on it the way run.tsx renders it. Shared by the key->frame benchmark
// (bench/keys.tsx) and the frame comparison of the bundle patches (test/e2e/lib/inkFrames.tsx).
import React from 'react';
import { EventEmitter } from 'node:events';
import { render, type Instance } from 'ink';
import { App } from '../../../source/ui/app.js';
import { RENDER_OPTIONS } from '../../../source/ui/renderOptions.js';
import type { Theme } from '../../../source/ui/theme.js';
import type { Store } from '../../../source/store/types.js';

export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  /** The recent output (the last 100-200 KB). */
  screen = '';
  lastWriteAt = 0n;
  writes = 0;
  onWrite: ((chunk: string) => void) | undefined;
  write = (chunk: string | Uint8Array, cb?: (err?: Error) => void): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.lastWriteAt = process.hrtime.bigint();
    this.writes++;
    this.screen += text;
    if (this.screen.length > 200_000) this.screen = this.screen.slice(-100_000);
    if (typeof cb === 'function') cb();
    this.onWrite?.(text);
    return true;
  };
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/** The App on a fresh fake terminal, with the render options of the real one. */
export function renderApp(
  store: Store,
  theme: Theme,
): { instance: Instance; stdout: FakeStdout; stdin: FakeStdin } {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const instance = render(
    <App
      store={store}
      readOnly={false}
      onExit={() => undefined}
      theme={theme}
      size={{ columns: 120, rows: 40 }}
    />,
    {
      ...RENDER_OPTIONS,
      stdout: stdout as never,
      stdin: stdin as never,
      stderr: new FakeStdout() as never,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  return { instance, stdout, stdin };
}
