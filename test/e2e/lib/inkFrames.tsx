// Plays a fixed key sequence against the real App on the demo sandbox, rendered by Ink to a fake
// 120x40 terminal, and writes every frame Ink draws after each key to the JSON file argv[2]. Run from source (the
// dependencies as published) and bundled with scripts/bundlePlugin.mjs (Ink patched, our
// stringWidth), the output must be byte-identical: see test/e2e/inkPatches.test.ts.
import React from 'react';
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { render } from 'ink';
import { App } from '../../../source/ui/app.js';
import { colorTheme } from '../../../source/ui/theme.js';
import { RENDER_OPTIONS } from '../../../source/ui/renderOptions.js';
import { createDemoStore } from '../../../source/store/demo/demo.js';

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  chunks: string[] = [];
  write = (chunk: string | Uint8Array, cb?: (err?: Error) => void): boolean => {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    if (typeof cb === 'function') cb();
    return true;
  };
}

class FakeStdin extends EventEmitter {
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stdout = new FakeStdout();
const stdin = new FakeStdin();
const store = await createDemoStore({ namespace: 'epinio' });
const instance = render(
  <App
    store={store}
    readOnly={false}
    onExit={() => undefined}
    theme={colorTheme}
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
for (let i = 0; i < 400 && !stdout.chunks.join('').includes('Connectors'); i++) await sleep(10);
await sleep(300);

const DOWN = '\x1b[B';
const PAGE_DOWN = '\x1b[6~';
const ESC = '\x1b';
// Every tab, list moves, a page, a filter typed and cleared, help, a detail dialog (clipped by
// the body box), and the connectors' masked secrets.
const keys = [
  DOWN,
  DOWN,
  '\r',
  ESC,
  '2',
  DOWN,
  '3',
  DOWN,
  DOWN,
  PAGE_DOWN,
  '/',
  'a',
  'd',
  '\x7f',
  '\x7f',
  ESC,
];
keys.push('\r', ESC, '?', ESC, '4', DOWN, '1', 'k');
const frames: string[] = [];
for (const key of keys) {
  const before = stdout.chunks.length;
  stdin.write(key);
  await sleep(120);
  frames.push(stdout.chunks.slice(before).join(''));
}
instance.unmount();
// To a file: Ink's cursor handling also writes to the real stdout on exit.
writeFileSync(process.argv[2]!, JSON.stringify({ keys: keys.length, frames }));
process.exit(0);
