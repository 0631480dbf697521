// Terminal manners of the built TUI in a real pty (tmux), on the demo sandbox (no cluster needed):
// --plain draws no box drawing and announces status changes as lines of their own; a generated
// password copied with OSC 52 arrives in tmux's paste buffer (set-clipboard on) byte for byte; and
// after exit the masked one-line summary of what was saved stays on the normal screen, without the
// password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { binArgv, start, TMUX, type TmuxSession } from './tmux.js';

const run = promisify(execFile);
const T = { timeout: 120_000 };
const BOX_DRAWING = /[\u2500-\u257f]/;
const GENERATED = /generated \(\d+ bits\): (\S+)/;

const tmux = async (s: TmuxSession, ...args: string[]) =>
  (await run(TMUX, ['-L', s.socket, ...args], { encoding: 'utf8' })).stdout;

/** Confirm dialogs default to Cancel: move to the confirm button, then Enter. */
async function confirm(s: TmuxSession, until: RegExp): Promise<string> {
  await s.press('Tab');
  return s.press('Enter', until, { timeoutMs: 60_000 });
}

test(
  '--plain: every tab, a dialog and help as linear text without box drawing; status changes announced',
  T,
  async () => {
    const s = await start(binArgv('--demo', '--plain'), { cols: 120, rows: 40 });
    try {
      const screens = [await s.waitFor(/list, 3 rows[\s\S]*selected: 1, id github/)];
      screens.push(await s.press('2', /tabs: .*2 Role mappings \(current\)/));
      screens.push(await s.press('3', /tabs: .*3 Users \(current\)/));
      screens.push(await s.press('p', /dialog: Reset password: admin/));
      screens.push(await s.press('F1', /dialog: keys of Reset password/));
      await s.press('Escape', /dialog: Reset password: admin/);
      await s.press('Escape', /tabs: .*3 Users \(current\)/);
      screens.push(await s.press('4', /tabs: .*4 Dex local users \(current\)/));
      screens.push(await s.press('d', /warning, dialog: Remove Dex local user/));
      // The staging is announced on a line of its own (above the frame), besides the status line.
      const staged = await confirm(s, /^info: staged: remove Dex local user/m);
      screens.push(staged);
      assert.match(staged, /^status, info: staged: remove Dex local user/m);
      screens.push(await s.press('w', /dialog: Save dex-config/));
      const saved = await confirm(s, /^success: saved config\.yaml/m);
      screens.push(saved);
      for (const screen of screens) {
        assert.doesNotMatch(screen, BOX_DRAWING, `box drawing in a plain frame:\n${screen}`);
        // The shared parts (key hints, status, tabs, list rows, titles) say keys and states in words.
        const own = screen
          .split('\n')
          .filter((l) => /^(keys|status|tabs|list|selected|dialog|warning, dialog):? /.test(l));
        assert.ok(own.length >= 3, `plain lines found:\n${screen}`);
        for (const line of own) assert.doesNotMatch(line, /[⏎↑↓✓✗●]/, `a glyph instead of a word: ${line}`);
      }
    } finally {
      await s.stop();
    }
  },
);

test(
  'OSC 52: Ctrl+G then Ctrl+Y puts exactly the generated password into tmux paste buffer; exit leaves a masked summary',
  T,
  async () => {
    const s = await start(binArgv('--demo'), { cols: 120, rows: 40 });
    try {
      // tmux stores an application's OSC 52 in a paste buffer when set-clipboard is on.
      await tmux(s, 'set-option', '-g', 'set-clipboard', 'on');
      await s.waitFor('Corporate LDAP', { timeoutMs: 60_000 });
      await s.press('3', /\d+ of \d+ users|USERNAME/);
      await s.press('p', 'Reset password: admin');
      const pw = GENERATED.exec(await s.press('C-g', GENERATED))![1]!;
      assert.equal(pw.length, 20);
      await s.press('C-y', /copied/);
      assert.equal(await tmux(s, 'show-buffer'), pw, 'the paste buffer holds the generated password');

      // Use it: reset, confirm, verified.
      await s.press('Enter', 'Set the password of admin?');
      await confirm(s, /password of admin set and verified/);
      await s.press('q');
      const exit = await s.waitExit();
      assert.equal(exit.code, 0);
      const all = await tmux(s, 'capture-pane', '-p', '-J', '-S', '-', '-t', s.target);
      assert.match(
        all,
        /^epinio-dex-admin \(demo .*namespace epinio\): password of admin set and verified$/m,
      );
      assert.ok(!all.includes(pw), 'the password is not in the scrollback');
      assert.equal(await s.altScreenOn(), false);
    } finally {
      await s.stop();
    }
  },
);

test(
  'exit summary: a save lists its staged changes; unsaved staged changes are counted as discarded',
  T,
  async () => {
    const s = await start(binArgv('--demo'), { cols: 120, rows: 40 });
    try {
      await s.waitFor('Corporate LDAP', { timeoutMs: 60_000 });
      await s.press('4', /EMAIL/);
      await s.press('d', /Remove Dex local user/);
      await confirm(s, /staged: remove Dex local user/);
      await s.press('w', /Save dex-config/);
      await confirm(s, /saved config\.yaml/);
      // The restart offer after a config.yaml save: decline it.
      await s.press('Escape');
      await s.press('2', /CONNECTOR \/ GROUP/);
      await s.press('d', 'Delete from rolesMapping?');
      await confirm(s, /staged:/);
      await s.press('q', 'Quit with unsaved changes?');
      // Keep editing, Review and save, Quit and discard.
      await s.press('Tab');
      await s.press('Tab', />\[ Quit and discard \]/);
      await s.keys('Enter');
      const exit = await s.waitExit();
      assert.equal(exit.code, 0);
      const all = await tmux(s, 'capture-pane', '-p', '-J', '-S', '-', '-t', s.target);
      assert.match(
        all,
        /^epinio-dex-admin \(demo .*namespace epinio\): saved dex-config config\.yaml \(1 change: remove Dex local user [^)]+\); 1 staged change discarded$/m,
      );
    } finally {
      await s.stop();
    }
  },
);
