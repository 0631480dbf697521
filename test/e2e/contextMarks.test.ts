// The built TUI in tmux against the real kube-apiserver: Ctrl+P in the context picker (c) marks
// the current kubeconfig context as production (source/ui/contextMarks.ts); the picker and the
// header show the mark, and the marks file holds it. XDG_CONFIG_HOME, XDG_STATE_HOME and HOME are a
// temporary directory, so the operator's own marks file is never read or written.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTestNamespace, getStack } from '../stack/env.js';
import { dialogLines } from './lib/dialogText.js';
import { binArgv, start } from './tmux.js';

test(
  'Ctrl+P marks the current context as production: picker, header and marks file; again unmarks',
  { timeout: 120_000 },
  async () => {
    const home = mkdtempSync(join(tmpdir(), 'eda-e2e-marks-'));
    const marksFile = join(home, 'config', 'epinio-dex-admin', 'contexts.json');
    const ns = await createTestNamespace('e2e-marks', { fixtures: true });
    const { server, kubeconfigs } = getStack();
    const cols = 160;
    const s = await start(binArgv('--kubeconfig', kubeconfigs.admin, '-n', ns), {
      cols,
      rows: 30,
      env: { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') },
    });
    const header = async () => (await s.lines())[0]!.trimEnd();
    const where = `epinio-dex-admin cluster · ns ${ns} · Epinio v1.14.1 (modern) · context eda-admin · ${server}`;
    // The badge " PRODUCTION " sits at the right end of the first line.
    const marked = `${where.padEnd(cols - ' PRODUCTION '.length)} PRODUCTION`;
    try {
      await s.waitFor(/PROBLEMS[\s\S]*github/, { timeoutMs: 60_000 });
      assert.equal(await header(), where);
      assert.equal(existsSync(marksFile), false, 'no marks file before the first mark');

      const picker = dialogLines(await s.press('c', 'Switch kubeconfig context'));
      assert.deepEqual(picker, [
        'Switch kubeconfig context',
        `> * eda-admin eda-test ${server} ns epinio`,
        '⏎ choose · type filter · esc cancel · ctrl+p mark as production · F1 help',
      ]);
      const markedPicker = await s.press('C-p', 'context eda-admin marked as production');
      assert.deepEqual(dialogLines(markedPicker), [
        'Switch kubeconfig context',
        `> * eda-admin [PRODUCTION] eda-test ${server} ns epinio`,
        '⏎ choose · type filter · esc cancel · ctrl+p unmark production · F1 help',
      ]);
      assert.equal(markedPicker.split('\n')[0]!.trimEnd(), marked);
      assert.equal(readFileSync(marksFile, 'utf8'), '{\n  "production": [\n    "eda-admin"\n  ]\n}\n');

      const closed = await s.press('Escape');
      assert.equal(closed.includes('Switch kubeconfig context'), false, closed);
      assert.equal(await header(), marked, 'the header keeps the mark after the picker closes');

      await s.press('c', 'ctrl+p unmark production');
      await s.press('C-p', 'context eda-admin is no longer marked as production');
      await s.press('Escape');
      assert.equal(await header(), where);
      assert.equal(readFileSync(marksFile, 'utf8'), '{\n  "production": []\n}\n');
    } finally {
      await s.stop();
      rmSync(home, { recursive: true, force: true });
    }
  },
);
