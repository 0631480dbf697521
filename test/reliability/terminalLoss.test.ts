// Terminal loss with the save dialog open (issue 16 item 6): the terminal goes away (tmux's server
// is killed, as when an SSH connection or a terminal window closes), the TUI gets SIGHUP and its
// pty answers EIO. Before the fix Node ended in a native assertion (ResetStdio) with SIGABRT, and a
// core dump would have held the staged edits. Now the tool runs its exit listeners and dies of
// SIGHUP, and the demo copy is removed. A small wrapper (it ignores SIGHUP itself, which its child
// does not inherit: a JavaScript handler is not SIG_IGN) records how the real binary ended.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { binArgv, start } from '../e2e/tmux.js';

const work = mkdtempSync(join(tmpdir(), 'eda-terminal-loss-'));
after(() => rmSync(work, { recursive: true, force: true }));

const wrapper = join(work, 'wrapper.mjs');
writeFileSync(
  wrapper,
  `import { spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
const [result, errFile, ...argv] = process.argv.slice(2);
process.on('SIGHUP', () => {});
const child = spawn(argv[0], argv.slice(1), { stdio: ['inherit', 'inherit', openSync(errFile, 'w')] });
child.on('exit', (code, signal) => writeFileSync(result, JSON.stringify({ code, signal })));
`,
);

test(
  'terminal lost with the save dialog open: dies of SIGHUP, no native assertion, demo copy removed',
  { timeout: 240_000 },
  async () => {
    const result = join(work, 'result.json');
    const errFile = join(work, 'stderr.txt');
    const s = await start([process.execPath, wrapper, result, errFile, ...binArgv('--demo')], {
      cols: 120,
      rows: 36,
    });
    let stopped = false;
    try {
      await s.waitFor(/1 Connectors[\s\S]*PROBLEMS/, { timeoutMs: 120_000 });
      await s.press('2', 'CONNECTOR / GROUP');
      await s.press('J', /unsaved changes \(1\)/);
      await s.press('w', 'Save dex-config');
      await s.stop(); // the terminal goes away
      stopped = true;
      for (let i = 0; i < 300 && !existsSync(result); i++) await sleepMs(100);
      assert.ok(existsSync(result), 'the program ended after its terminal went away');
      const ended = JSON.parse(readFileSync(result, 'utf8')) as {
        code: number | null;
        signal: string | null;
      };
      const stderr = readFileSync(errFile, 'utf8');
      assert.doesNotMatch(stderr, /Assertion|ResetStdio|native stack|Aborted/i, stderr);
      assert.deepEqual(ended, { code: null, signal: 'SIGHUP' }, stderr);
      const copy = /demo sandbox: edits go to a copy at (\S+)/.exec(stderr)?.[1];
      assert.ok(copy, `the demo notice names its copy:\n${stderr}`);
      assert.equal(existsSync(copy), false, `the demo copy ${copy} is removed`);
    } finally {
      if (!stopped) await s.stop();
    }
  },
);
