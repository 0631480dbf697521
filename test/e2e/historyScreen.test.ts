// The built TUI in tmux on a manifest file (--file): one save through the UI (a mapping entry moved,
// then w and the confirmation), then the History tab (6) lists it as revision 1, Enter opens it with
// its masked diff, Esc goes back to the list; a rewrite of the file outside the tool (the pristine
// manifest copied back, as a helm upgrade would render it) brings the re-apply offer and the banner,
// and A on History re-applies the lost revision. HOME and the XDG config and state dirs (backups,
// marks) are a temporary directory, so the operator's own files are untouched.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { FIXTURE, fixtureCopy } from '../unit/cli/harness.js';
import { dialogLines } from './lib/dialogText.js';
import { binArgv, start, type TmuxSession } from './tmux.js';

/** The TUI on a private copy of the fixture manifest, loaded; everything removed afterwards. */
async function withTui(cols: number, fn: (s: TmuxSession, file: string) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'eda-e2e-history-'));
  const file = fixtureCopy();
  const s = await start(binArgv('--file', file), {
    cols,
    rows: 40,
    env: { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') },
  });
  try {
    await s.waitFor(/PROBLEMS[\s\S]*github/, { timeoutMs: 60_000 });
    await fn(s, file);
  } finally {
    await s.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(dirname(file), { recursive: true, force: true });
  }
}

/** One save through the UI: the github mapping entry moved down, w, Tab to Save, Enter. */
async function saveOneMove(s: TmuxSession): Promise<void> {
  await s.press('2', /^> github \(2 groups\)/m);
  await s.press('J', 'staged: move mapping entry github down');
  await s.press('w', 'Save dex-config (1 staged step)');
  await s.press('Tab', />\[ Save \]/);
  await s.press('Enter', /✓ saved rolesMapping/);
}

test(
  'History screen (file store): a save through the UI is revision 1; Enter shows its diff; Esc goes back',
  { timeout: 120_000 },
  async () => {
    await withTui(120, async (s, file) => {
      const empty = await s.press('6', 'REV   TIME');
      assert.match(empty, /no revisions yet: every save records one/);
      await saveOneMove(s);

      const list = (await s.press('6', /^> 1 /m)).split('\n');
      assert.equal(
        list[0],
        `epinio-dex-admin file · ns epinio · modern mappings · file ${file}`,
        'no unsaved changes after the save',
      );
      const at = list.indexOf('  REV   TIME                 AUTHOR             KIND     SUMMARY');
      assert.ok(at > 0, list.join('\n'));
      assert.equal(
        list[at - 1],
        "File and demo modes keep this run's revisions only; the shared history is the Secret dex-config-history in a cluster.",
      );
      // The time is the save's; the rest of the row is exact.
      assert.equal(
        list[at + 1]!.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/, 'TIME'),
        '> 1     TIME local user         save     mapping entry 0 moved to 1',
      );
      assert.equal(
        list[at + 2],
        'Keeps the last 20 revisions (annotation epinio-dex-admin/history-keep on dex-config-history).',
        'one revision, no other row',
      );

      const shown = dialogLines(await s.press('Enter', 'Revision 1 (save)'));
      assert.equal(shown[0], 'Revision 1 (save)');
      assert.equal(shown[1]!.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/, 'TIME'), 'local user · TIME');
      assert.deepEqual(shown.slice(2), [
        'mapping entry 0 moved to 1',
        '--- a/rolesMapping',
        '+++ b/rolesMapping',
        '@@ -1,3 +1,7 @@',
        '+- connectorId: ldap',
        '+  groups:',
        '+  - {id: "epinio-admins", roles: ["admin"]}',
        '+  - {id: "epinio-viewers", roles: ["view_only"]}',
        ' # Who gets which Epinio role, per Dex connector (Epinio >= 1.11 list form).',
        ' - connectorId: github',
        '   groups:',
        '@@ -6,10 +10,6 @@',
        '     roles: ["admin"]',
        '   - id: "acme:developers"',
        '     roles: ["application_developer", "admin:team-blue"]   # scoped admin in team-blue',
        '-- connectorId: ldap',
        '-  groups:',
        '-  - { id: "epinio-admins", roles: ["admin"] }',
        '-  - { id: "epinio-viewers", roles: ["view_only"] }',
        ' # Dex static users (password DB)',
        ' - connectorId: local',
        '   groups:',
        '',
        '>[ Close ]   [ Roll back… ]',
        'tab/→ next choice · shift+tab/← previous · ⏎ choose · esc cancel · ?/F1 help',
      ]);

      const back = await s.press('Escape');
      assert.equal(back.includes('Revision 1 (save)'), false, back);
      assert.deepEqual(
        back.split('\n').slice(at, at + 2),
        list.slice(at, at + 2),
        'the list as it was, revision 1 still selected',
      );
    });
  },
);

test(
  'a rewrite outside the tool: the re-apply offer opens, the banner names History (6) and A; A on History re-applies revision 1',
  { timeout: 120_000 },
  async () => {
    await withTui(200, async (s, file) => {
      await saveOneMove(s);
      const saved = readFileSync(file, 'utf8');
      copyFileSync(FIXTURE, file);
      await s.press('C-r', 'Re-apply after helm upgrade');
      const banner = (await s.press('Escape')).split('\n')[2];
      assert.equal(
        banner?.trimEnd(),
        "! dex-config was rewritten outside the tool (a helm upgrade or a hand edit): the tool's stamp is gone from dex-config; revision 1 lost: History (6), then A re-applies them",
      );
      await s.press('6', /^> 1 /m);
      const offer = dialogLines(await s.press('A', 'Re-apply after helm upgrade'));
      assert.deepEqual(offer.slice(0, 3), [
        'Re-apply after helm upgrade',
        "dex-config was rewritten outside the tool (a helm upgrade or a hand edit): the tool's stamp is gone from dex-config",
        're-applies revision 1',
      ]);
      await s.press('Tab', />\[ Save \]/);
      const after = await s.press('Enter', /^> 2 .* reapply /m);
      assert.equal(after.includes('lost: History'), false, after);
      // The move is back: the mapping as the UI save wrote it (the stamp annotations aside).
      const mapping = (text: string) =>
        text.slice(
          text.indexOf('rolesMapping: |'),
          text.indexOf('  - apiVersion', text.indexOf('rolesMapping: |')),
        );
      assert.equal(mapping(readFileSync(file, 'utf8')), mapping(saved));
    });
  },
);
