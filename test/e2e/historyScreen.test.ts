// The built TUI in tmux on a manifest file (--file): one save through the UI (a mapping entry moved,
// then w and the confirmation), then the History tab (6) lists it as revision 1, Enter opens it with
// its masked diff, Esc goes back to the list. The XDG config and state dirs (backups, marks) are a
// temporary directory, so the operator's own files are untouched.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fixtureCopy } from '../unit/cli/harness.js';
import { dialogLines } from './lib/dialogText.js';
import { binArgv, start } from './tmux.js';

test(
  'History screen (file store): a save through the UI is revision 1; Enter shows its diff; Esc goes back',
  { timeout: 120_000 },
  async () => {
    const home = mkdtempSync(join(tmpdir(), 'eda-e2e-history-'));
    const file = fixtureCopy();
    const s = await start(binArgv('--file', file), {
      cols: 120,
      rows: 40,
      env: { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') },
    });
    try {
      await s.waitFor(/PROBLEMS[\s\S]*github/, { timeoutMs: 60_000 });
      const empty = await s.press('6', 'REV   TIME');
      assert.match(empty, /no revisions yet: every save records one/);

      await s.press('2', /^> github \(2 groups\)/m);
      await s.press('J', 'staged: move mapping entry github down');
      await s.press('w', 'Save dex-config (1 staged step)');
      await s.press('Tab', />\[ Save \]/);
      await s.press('Enter', /✓ saved rolesMapping/);

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
    } finally {
      await s.stop();
      rmSync(home, { recursive: true, force: true });
      rmSync(dirname(file), { recursive: true, force: true });
    }
  },
);
