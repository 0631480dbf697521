// Ctrl+Z and fg with a real job-control shell: the built TUI (demo sandbox, no cluster needed) runs
// as a job of an interactive dash in tmux. dash saves and restores no terminal modes of its own, so
// the `stty -a` it prints while the job is stopped shows exactly what the program left behind.
import { test } from 'node:test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { builtBin, childPids, start, sttyFlags, type TmuxSession } from './tmux.js';

const T = { timeout: 120_000 };
const PROMPT = 'EDA-SH$ ';
const LOADED = /Corporate LDAP/;

async function shellWithTui(env: Record<string, string> = {}): Promise<TmuxSession> {
  const s = await start(['sh', '-i'], { cols: 120, rows: 40, env: { PS1: PROMPT, ...env } });
  await s.waitFor(PROMPT.trim());
  await s.type(`${process.execPath} ${builtBin()} --demo`);
  await s.keys('Enter');
  await s.waitFor(LOADED, { timeoutMs: 60_000 });
  return s;
}

/** The prompt is back on the last non-empty line, after the shell reported the stopped job. */
const promptBack = (screen: string) =>
  /Stopped[^\n]*\n(?:[^\n]*\n)*?EDA-SH\$ *$/.test(screen.trimEnd() + ' ');

async function assertTerminalHandedBack(s: TmuxSession): Promise<void> {
  await s.waitUntil(promptBack, 'the stopped job and the shell prompt');
  assert.equal(await s.altScreenOn(), false, 'the normal screen is back');
  assert.equal(await s.display('#{cursor_flag}'), '1', 'the cursor is visible');
  await s.type('stty -a; echo STTY-DONE');
  await s.keys('Enter');
  const screen = await s.waitFor(/^STTY-DONE$/m);
  const flags = sttyFlags(screen.slice(screen.lastIndexOf('speed ')));
  assert.deepEqual(flags, { echo: true, icanon: true, isig: true }, `cooked mode:\n${screen}`);
  // What the operator types is echoed by the terminal again (it was raw, without echo, before).
  assert.match(screen, /EDA-SH\$ stty -a; echo STTY-DONE/);
}

async function assertResumed(s: TmuxSession): Promise<void> {
  await s.type('fg');
  await s.keys('Enter');
  // The whole frame again (not only what changed): header, tabs, the list and the footer.
  const screen = await s.waitFor(
    /epinio-dex-admin demo[\s\S]*1 Connectors[\s\S]*Corporate LDAP[\s\S]*\? help/,
  );
  assert.equal(await s.altScreenOn(), true, 'back on the alternate screen');
  assert.doesNotMatch(screen, /EDA-SH\$/, 'the shell output is not under the frame');
  // Keys work again, in raw mode (a single key without Enter switches the tab).
  await s.press('2', /CONNECTOR \/ GROUP/);
  await s.press('q');
  await s.waitFor(/EDA-SH\$ *$/m);
  assert.equal(await s.altScreenOn(), false);
}

test(
  'Ctrl+Z: the terminal is handed back (cooked, echo, cursor, normal screen); fg redraws and keys work',
  T,
  async () => {
    const s = await shellWithTui();
    try {
      await s.press('C-z', /Stopped/);
      await assertTerminalHandedBack(s);
      await assertResumed(s);
    } finally {
      await s.stop();
    }
  },
);

test(
  'Ctrl+Z works with a text field focused (the filter dialog), which keeps its text after fg',
  T,
  async () => {
    const s = await shellWithTui();
    try {
      await s.press('/', 'Filter');
      await s.type('ldap');
      await s.waitFor('contains: ldap');
      await s.press('C-z', /Stopped/);
      await assertTerminalHandedBack(s);
      await s.type('fg');
      await s.keys('Enter');
      await s.waitFor(/Filter[\s\S]*contains: ldap/);
      assert.equal(await s.altScreenOn(), true);
    } finally {
      await s.stop();
    }
  },
);

test('kill -TSTP from elsewhere: the same orderly stop (cooked mode), and fg redraws', T, async () => {
  const s = await shellWithTui();
  try {
    // The pane's program is the interactive shell; the TUI is the shell's child.
    const program = childPids(await s.programPid())[0] ?? 0;
    assert.ok(program > 0, 'found the program');
    process.kill(program, 'SIGTSTP');
    await assertTerminalHandedBack(s);
    await assertResumed(s);
  } finally {
    await s.stop();
  }
});

test(
  'Ctrl+Z inside $EDITOR (an editor stopping its process group, as vim does): the TUI stops with it, fg continues both',
  T,
  async () => {
    // The editor: says it is running, stops its process group like vim's Ctrl+Z (kill(0, SIGTSTP)),
    // and after fg exits without saving (the edit is then abandoned).
    const dir = mkdtempSync(join(tmpdir(), 'eda-editor-'));
    const editor = join(dir, 'stopping-editor');
    writeFileSync(
      editor,
      '#!/bin/sh\necho EDITOR-RUNNING\nkill -TSTP 0\necho EDITOR-CONTINUED\nsleep 1\nexit 1\n',
    );
    chmodSync(editor, 0o755);
    const s = await shellWithTui({ VISUAL: editor });
    try {
      await s.press('E', /Stopped/);
      await s.waitUntil(promptBack, 'the shell prompt after the editor stopped');
      await s.type('fg');
      await s.keys('Enter');
      await s.waitFor('EDITOR-CONTINUED');
      // The editor exits, the TUI takes the terminal back and redraws.
      await s.waitFor(/epinio-dex-admin demo[\s\S]*Corporate LDAP[\s\S]*\? help/);
      assert.equal(await s.altScreenOn(), true);
      await s.press('2', /CONNECTOR \/ GROUP/);
    } finally {
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
