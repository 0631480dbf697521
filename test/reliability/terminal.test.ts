// Terminal safety (issue: terminal safety): whatever way the TUI ends, the operator's terminal is
// usable afterwards: the normal screen is back (alternate screen off), the cursor is visible, and
// the pty is in cooked mode with echo (`stty -a` run inside the same pane after the program exits
// shows `echo`, `icanon` and `isig`). The built binary runs in a real pseudo-terminal (tmux).
//
// The uncaught-error cases need no hook in the product: a preload module (NODE_OPTIONS=--import,
// written to a temp dir here) throws from a timer, or leaves a rejected promise, once the first
// frame is on screen. That is a genuine uncaught error inside the real process, going through the
// same handlers a bug would. One figure line per case is printed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { binArgv, start, sttyFlags, type TmuxSession } from '../e2e/tmux.js';

const work = mkdtempSync(join(tmpdir(), 'eda-terminal-'));
after(() => rmSync(work, { recursive: true, force: true }));

// Throws (or rejects) in a fresh task once the test says so (it creates the trigger file after
// the first frame is on screen): deterministic, whatever the machine's load.
const preload = join(work, 'inject-crash.mjs');
writeFileSync(
  preload,
  `import { existsSync } from 'node:fs';
const trigger = process.env.EDA_INJECT_TRIGGER;
const timer = setInterval(() => {
  if (!trigger || !existsSync(trigger)) return;
  clearInterval(timer);
  const mode = process.env.EDA_INJECT;
  if (mode === 'reject') void Promise.reject(new Error('injected rejection for the terminal test'));
  else if (mode === 'render') {
    // The next render throws inside a React component: the connectors list pads each cell with
    // padEnd, and the cell "ldap" now throws there.
    const padEnd = String.prototype.padEnd;
    String.prototype.padEnd = function (...args) {
      if (String(this) === 'ldap') throw new Error('injected render crash for the terminal test');
      return padEnd.apply(this, args);
    };
  } else throw new Error('injected crash for the terminal test');
}, 50);
timer.unref();
`,
);
let triggers = 0;
function crashCase(name: string, mode: 'throw' | 'reject' | 'render', expectStderr: RegExp): Case {
  const trigger = join(work, `trigger-${++triggers}`);
  return {
    name,
    expectCode: 1,
    env: { NODE_OPTIONS: `--import ${preload}`, EDA_INJECT: mode, EDA_INJECT_TRIGGER: trigger },
    end: async (s) => {
      writeFileSync(trigger, 'now');
      // A render crash needs a render: move the cursor once the patch is in place.
      if (mode === 'render') {
        await sleepMs(500);
        await s.keys('j');
      }
    },
    expectStderr,
  };
}

/** The frame is up: alternate screen, tab bar and the loaded connectors list. */
async function waitFrame(s: TmuxSession): Promise<void> {
  await s.waitFor(/1 Connectors[\s\S]*PROBLEMS/, { timeoutMs: 120_000 });
  assert.equal(await s.altScreenOn(), true, 'the TUI draws on the alternate screen');
}

interface Case {
  name: string;
  expectCode: number;
  env?: Record<string, string>;
  /** What ends the program; the frame is already up. */
  end: (s: TmuxSession) => Promise<void>;
  /** Shown on the normal screen afterwards, if anything. */
  expectStderr?: RegExp;
}

const signal = (sig: NodeJS.Signals) => async (s: TmuxSession) => {
  process.kill(await s.programPid(), sig);
};

const cases: Case[] = [
  { name: 'quit (q)', expectCode: 0, end: (s) => s.keys('q') },
  { name: 'Ctrl+C', expectCode: 130, end: (s) => s.keys('C-c') },
  {
    name: 'Ctrl+C inside a dialog (password entry)',
    expectCode: 130,
    end: async (s) => {
      await s.keys('3');
      await s.waitFor(/\d+ of \d+ users/);
      await s.keys('p');
      await s.waitFor('Reset password');
      await s.type('half-typed');
      await s.waitFor('••••••••••');
      await s.keys('C-c');
    },
  },
  { name: 'SIGTERM', expectCode: 143, end: signal('SIGTERM') },
  { name: 'SIGHUP', expectCode: 129, end: signal('SIGHUP') },
  { name: 'SIGINT (kill -INT)', expectCode: 130, end: signal('SIGINT') },
  crashCase('uncaught exception', 'throw', /internal error: injected crash/),
  crashCase('unhandled rejection', 'reject', /internal error: injected rejection/),
  crashCase('exception thrown while rendering', 'render', /injected render crash/),
];

for (const c of cases) {
  test(`terminal restored after ${c.name}`, { timeout: 240_000 }, async () => {
    const s = await start(binArgv('--demo'), { cols: 100, rows: 30, env: c.env });
    try {
      const titleBefore = await s.paneTitle();
      await waitFrame(s);
      await c.end(s);
      const exit = await s.waitExit({ timeoutMs: 60_000 });
      const alt = await s.altScreenOn();
      const cursor = (await s.display('#{cursor_flag}')) === '1';
      const flags = sttyFlags(exit.stty);
      console.log(
        `figure terminal-safety: ${c.name}: exit ${exit.code}, alternate screen ${alt ? 'ON' : 'off'}, cursor ${cursor ? 'visible' : 'HIDDEN'}, ` +
          `echo ${flags.echo ? 'on' : 'OFF'}, icanon ${flags.icanon ? 'on' : 'OFF'}, isig ${flags.isig ? 'on' : 'OFF'}`,
      );
      assert.notEqual(exit.stty, '', `stty -a ran in the pane; screen:\n${exit.screen}`);
      assert.equal(alt, false, `alternate screen is off after ${c.name}`);
      assert.equal(flags.echo, true, `echo is on after ${c.name}:\n${exit.stty}`);
      assert.equal(flags.icanon, true, `canonical (cooked) mode after ${c.name}:\n${exit.stty}`);
      assert.equal(flags.isig, true, `signal keys work after ${c.name}:\n${exit.stty}`);
      assert.equal(cursor, true, `cursor visible after ${c.name}`);
      assert.equal(exit.code, c.expectCode, `exit status after ${c.name}; screen:\n${exit.screen}`);
      // The frame stayed on the alternate screen: nothing of it leaked onto the normal screen.
      assert.doesNotMatch(
        exit.screen,
        /1 Connectors|2 Role mappings/,
        `no TUI frame left on the normal screen:\n${exit.screen}`,
      );
      if (c.expectStderr)
        assert.match(exit.screen, c.expectStderr, 'the crash is reported in one line on the normal screen');
      assert.doesNotMatch(exit.screen, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace on the operator screen');
      assert.equal(await s.paneTitle(), titleBefore, 'the window title is unchanged');
    } finally {
      await s.stop();
    }
  });
}
