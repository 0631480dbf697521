// Plays a fixed key sequence against the real App on the demo sandbox, rendered by Ink to a fake
// 120x40 terminal, and writes the frame each key leaves on screen to the JSON file argv[2]. Run from source (the
// dependencies as published) and bundled with scripts/bundlePlugin.mjs (Ink patched, our
// stringWidth), the output must be byte-identical: see test/e2e/inkPatches.test.ts.
import { writeFileSync } from 'node:fs';
import { colorTheme } from '../../../source/ui/theme.js';
import { createDemoStore } from '../../../source/store/demo/demo.js';
import { renderApp } from './fakeTerminal.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const store = await createDemoStore({ namespace: 'epinio' });
const { instance, stdout, stdin } = renderApp(store, colorTheme);
const chunks: string[] = [];
stdout.onWrite = (chunk) => chunks.push(chunk);
// Generous: on a loaded CI machine, running from source compiles the whole UI first.
const loaded = async (): Promise<boolean> => {
  for (let waited = 0; waited < 90_000; waited += 20) {
    if (stdout.screen.includes('Corporate LDAP')) return true;
    await sleep(20);
  }
  return false;
};
if (!(await loaded())) {
  process.stderr.write(
    `the demo's connectors did not appear within 90 s; screen:\n${stdout.screen.slice(-2000)}\n`,
  );
  process.exit(1);
}
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
const SYNC_START = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';

/** Waits for the key's first frame (15 s at most, a loaded CI machine is slow), then until Ink has
 *  been quiet for 80 ms; every Ink frame is one write, so the last one is what the key shows.
 *  Intermediate frames depend on timing (throttling), the final one does not. */
async function finalFrameAfter(key: string): Promise<string> {
  const before = chunks.length;
  stdin.write(key);
  for (let waited = 0; chunks.length === before && waited < 15_000; waited += 10) await sleep(10);
  for (let seen = -1; seen !== chunks.length;) {
    seen = chunks.length;
    await sleep(80);
  }
  // Ink brackets each frame with synchronized-output markers, written separately.
  const drawn = chunks.slice(before).filter((c) => c !== SYNC_START && c !== SYNC_END);
  return drawn.length ? drawn[drawn.length - 1]! : '';
}

const frames: string[] = [];
for (const key of keys) frames.push(await finalFrameAfter(key));
instance.unmount();
// To a file: Ink's cursor handling also writes to the real stdout on exit.
writeFileSync(process.argv[2]!, JSON.stringify({ keys: keys.length, frames }));
process.exit(0);
