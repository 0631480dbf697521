// Cluster data that is hostile to a terminal (test/fixtures/hostile): the TUI draws it on one line
// per row, sanitized, aligned in its column. The real app on a file store of the hostile manifest.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import stringWidth from 'string-width';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import { hostileManifest, HOSTILE_USERS } from '../../fixtures/hostile/manifest.js';
import { LINE_BREAK_MARKER, singleLine } from '../../../source/ui/text.js';
import { press, renderApp, waitFor } from './helpers.js';
import React from 'react';
import { render } from 'ink-testing-library';
import { Footer } from '../../../source/ui/components/Footer.js';
import { fieldDisplay } from '../../../source/ui/components/TextField.js';
import { ThemeContext, monoTheme } from '../../../source/ui/theme.js';

afterEach(() => cleanup());

// ink-testing-library's stdout is 100 columns wide: the app is sized to match.
const COLS = 100;
const ROWS = 40;

export async function hostileApp(rows = ROWS) {
  const dir = mkdtempSync(join(tmpdir(), 'eda-ui-hostile-'));
  const file = join(dir, 'hostile.yaml');
  writeFileSync(file, hostileManifest());
  const store = await createFileStore(file, { backupDir: dir });
  return renderApp(store, { size: { columns: COLS, rows } });
}

/** Column of `needle` in `line`, in terminal columns. */
const colOf = (line: string, index: number) => stringWidth(line.slice(0, index));

export function assertTerminalSafe(frame: string, where: string): void {
  assert.doesNotMatch(frame, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, `${where}: no control characters`);
  assert.doesNotMatch(frame, /[\u202a-\u202e\u2066-\u2069]/, `${where}: no bidi controls`);
  assert.doesNotMatch(frame, /PWNED|evil\.example/, `${where}: no payload text`);
  const lines = frame.split('\n');
  lines.forEach((l, i) =>
    assert.ok(stringWidth(l) <= COLS, `${where}: row ${i + 1} is ${stringWidth(l)} columns wide`),
  );
}

test('singleLine: sanitized, and every line break shown as one marker', () => {
  assert.equal(
    singleLine('multi\nline\r\nuser\rx'),
    `multi${LINE_BREAK_MARKER}line${LINE_BREAK_MARKER}user${LINE_BREAK_MARKER}x`,
  );
  assert.equal(singleLine('a\u0085b\u2028c\u2029d'), ['a', 'b', 'c', 'd'].join(LINE_BREAK_MARKER));
  assert.equal(singleLine('a\x1b[31mb\x1b]0;t\x07c\u202e'), 'abc\\u202e');
  assert.equal(singleLine('ad\u200bmin \u{1f469}\u200d\u{1f467}'), 'ad\\u200bmin \u{1f469}\u200d\u{1f467}');
  assert.equal(singleLine('plain 山田 🚀'), 'plain 山田 🚀');
});

test('users list: every user is one row and the PASSWORD cell stays under its title', async () => {
  const { lastFrame, stdin } = await hostileApp();
  await waitFor(lastFrame, (f) => f.includes('PROBLEMS'), 'connectors');
  await press(stdin, '3');
  const frame = await waitFor(lastFrame, (f) => /\d+ of \d+ users/.test(f), 'users list');
  assert.match(frame, new RegExp(`${HOSTILE_USERS.length} of ${HOSTILE_USERS.length} users`));
  assertTerminalSafe(frame, 'users list');
  const lines = frame.split('\n');
  const h = lines.findIndex((l) => l.includes('USERNAME') && l.includes('PASSWORD'));
  assert.ok(h >= 0, frame);
  const col = colOf(lines[h]!, lines[h]!.indexOf('PASSWORD'));
  const rows = lines.slice(h + 1, h + 1 + HOSTILE_USERS.length);
  for (const row of rows) {
    const at = [...row.matchAll(/\b(set|none|invalid)\b/g)].map((m) => colOf(row, m.index));
    assert.ok(at.includes(col), `PASSWORD cell at column ${col + 1}: ${JSON.stringify(row)}\n${frame}`);
  }
  assert.match(
    frame,
    new RegExp(`multi${LINE_BREAK_MARKER}line${LINE_BREAK_MARKER}user`),
    'the newline is shown as a marker',
  );
});

test('footer: a status naming a multi-line user stays one line, sanitized', () => {
  const { lastFrame } = render(
    <ThemeContext.Provider value={monoTheme}>
      <Footer
        status={{ level: 'success', message: 'roles of multi\nline\ruser\x1b[41m set', hint: 'see\nthis' }}
        hints="q quit"
        width={80}
      />
    </ThemeContext.Provider>,
  );
  const lines = lastFrame()!.split('\n');
  assert.deepEqual(lines, [
    `✓ roles of multi${LINE_BREAK_MARKER}line${LINE_BREAK_MARKER}user set`,
    `→ see${LINE_BREAK_MARKER}this`,
    'q quit',
  ]);
});

/** The dialog box (round border) is a closed rectangle: both borders on every row, same columns. */
export function assertBox(frame: string, where: string): void {
  const lines = frame.split('\n');
  const top = lines.findIndex((l) => l.includes('╭'));
  assert.ok(top >= 0, `${where}: a dialog box\n${frame}`);
  const left = colOf(lines[top]!, lines[top]!.indexOf('╭'));
  const right = colOf(lines[top]!, lines[top]!.indexOf('╮'));
  const charAt = (line: string, col: number) => {
    let c = 0;
    for (const ch of line) {
      if (c === col) return ch;
      c += stringWidth(ch);
      if (c > col) return undefined;
    }
    return undefined;
  };
  for (let i = top + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (charAt(l, left) === '╰') {
      assert.equal(charAt(l, right), '╯', `${where}: bottom border ends at column ${right + 1}\n${frame}`);
      return;
    }
    assert.ok(
      charAt(l, left) === '│' && charAt(l, right) === '│',
      `${where}: row ${i + 1} has its borders at ${left + 1}/${right + 1}: ${JSON.stringify(l)}\n${frame}`,
    );
  }
  assert.fail(`${where}: the dialog box has no bottom border\n${frame}`);
}

test('fieldDisplay: a stored value with escape sequences is drawn sanitized, the cursor on a whole character', () => {
  const raw = 'acme:admins\x1b[2J\x1b[H\x1b]2;PWNED\x07';
  const d = fieldDisplay({ value: raw, cursor: raw.length });
  assert.deepEqual(d, { before: 'acme:admins', at: ' ', after: '', shown: 'acme:admins', empty: false });
  const w = fieldDisplay({ value: '山田x\ny', cursor: 0 });
  assert.deepEqual([w.before, w.at, w.after], ['', '山', `田x${LINE_BREAK_MARKER}y`]);
  assert.equal(fieldDisplay({ value: 'secret', cursor: 2 }, true).shown, '••••••');
});

test('mapping group edit dialog pre-filled from hostile cluster data: sanitized, the box closed', async () => {
  const { lastFrame, stdin } = await hostileApp();
  await waitFor(lastFrame, (f) => f.includes('PROBLEMS'), 'connectors');
  await press(stdin, '2');
  await waitFor(lastFrame, (f) => f.includes('CONNECTOR / GROUP'), 'mappings');
  for (const row of [1, 2]) {
    await press(stdin, 'j');
    await waitFor(
      lastFrame,
      (f) => new RegExp(`^> +└ ${row === 1 ? 'acme' : '山田'}`, 'm').test(f),
      `group row ${row}`,
    );
    await press(stdin, '\r');
    const frame = await waitFor(
      lastFrame,
      (f) => f.includes('╭') && f.includes('group id'),
      'the group dialog',
    );
    assertTerminalSafe(frame, `group row ${row}`);
    assertBox(frame, `group row ${row}`);
    await press(stdin, '\x1b');
    await waitFor(lastFrame, (f) => !f.includes('╭'), 'the dialog to close');
  }
});

test('user roles dialog pre-filled with a colour sequence: sanitized, the box closed', async () => {
  const { lastFrame, stdin } = await hostileApp();
  await waitFor(lastFrame, (f) => f.includes('PROBLEMS'), 'connectors');
  await press(stdin, '3');
  await waitFor(lastFrame, (f) => /^> eviluser/m.test(f), 'users');
  await press(stdin, 'j');
  await waitFor(lastFrame, (f) => /^> colour/m.test(f), 'colour user');
  await press(stdin, 'r');
  const frame = await waitFor(
    lastFrame,
    (f) => f.includes('╭') && f.includes('Roles of'),
    'the roles dialog',
  );
  assertTerminalSafe(frame, 'roles dialog');
  assertBox(frame, 'roles dialog');
  assert.match(frame, /roles: user, admin/);
});

for (const rows of [40, 20]) {
  test(`user detail dialogs fit a ${COLS}x${rows} screen: header and tab bar stay, the box is closed, hint line kept`, async () => {
    const { lastFrame, stdin } = await hostileApp(rows);
    await waitFor(lastFrame, (f) => f.includes('PROBLEMS'), 'connectors');
    await press(stdin, '3');
    await waitFor(lastFrame, (f) => /^> eviluser/m.test(f), 'users');
    for (let i = 0; i < HOSTILE_USERS.length; i++) {
      if (i) await press(stdin, 'j');
      await press(stdin, '\r');
      const frame = await waitFor(lastFrame, (f) => f.includes('╭'), `user ${i + 1} detail`);
      const where = `user ${i + 1} detail at ${rows} rows`;
      const lines = frame.split('\n');
      assert.ok(lines.length <= rows, `${where}: ${lines.length} lines on a ${rows}-row screen\n${frame}`);
      assert.match(lines[0]!, /^epinio-dex-admin /, `${where}: row 1 is the header\n${frame}`);
      assert.match(
        lines[1]!,
        /1 Connectors\s+2 Role mappings\s+>3 Users/,
        `${where}: row 2 is the tab bar\n${frame}`,
      );
      const bottom = lines.findIndex((l) => l.startsWith('╰'));
      assert.match(
        lines[bottom - 1] ?? '',
        /esc close/,
        `${where}: the dialog's hint line is above its bottom border\n${frame}`,
      );
      assertTerminalSafe(frame, where);
      assertBox(frame, where);
      await press(stdin, '\x1b');
      await waitFor(lastFrame, (f) => !f.includes('╭'), 'the detail to close');
    }
  });
}
