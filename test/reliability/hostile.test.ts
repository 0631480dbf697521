// Hostile content: cluster-controlled text (usernames, Secret values, annotations, connector ids and
// names, group ids, role names) carrying terminal escape sequences, controls, bidi overrides, very
// long lines and wide Unicode (test/fixtures/hostile/manifest.ts). The built TUI opens that manifest
// (--file) in a real pseudo-terminal (tmux); on every screen and dialog the test checks what reached
// the terminal:
//   - no injected sequence had an effect: header and tab bar still on rows 1-2, the key hints on the
//     footer row, the alternate screen still on, the pane title unchanged, no payload text on screen;
//   - `capture-pane -e` shows only the app's own SGR attributes (no foreign colours, blink, underline);
//   - the layout holds: list cells stay under their column titles (one screen line per row), dialog
//     borders are closed rectangles, no line is wider than the terminal.
// The scripted `users list` (and the other list tables) must print no escape or control bytes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binArgv, displayColumn, displayWidth, start, type TmuxSession } from '../e2e/tmux.js';
import { HOSTILE_USERS, LEAK_MARKERS, hostileManifest } from '../fixtures/hostile/manifest.js';

const COLS = 120;
const ROWS = 40;

const work = mkdtempSync(join(tmpdir(), 'eda-hostile-'));
after(() => rmSync(work, { recursive: true, force: true }));
let copies = 0;
/** A fresh copy per session: staging never writes, but a test must not depend on another's file. */
function manifestCopy(): string {
  const file = join(work, `hostile-${++copies}.yaml`);
  writeFileSync(file, hostileManifest());
  return file;
}

// SGR parameters the app itself produces (tmux re-encodes cell attributes): reset, bold, dim,
// italic off, inverse and their resets, default colours, and the theme's red, green, yellow,
// cyan and gray. Everything else (magenta, 256/true colour, backgrounds, blink, underline) is foreign.
const ALLOWED_SGR = new Set(['', '0', '1', '2', '22', '7', '27', '39', '49', '31', '32', '33', '36', '90']);
const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/u;

interface Frame {
  text: string;
  lines: string[];
  escaped: string;
}

async function frame(s: TmuxSession): Promise<Frame> {
  const text = await s.screen();
  return { text, lines: text.replace(/\n$/, '').split('\n'), escaped: await s.screen({ escapes: true }) };
}

/** Checks every screen must pass; returns the violations (empty = clean). */
async function screenViolations(
  s: TmuxSession,
  f: Frame,
  titleBefore: string,
  options: { footerHints: boolean },
): Promise<string[]> {
  const v: string[] = [];
  if (!(await s.altScreenOn()))
    v.push('the alternate screen was left (an injected \\e[?1049l or \\ec reached the terminal)');
  const title = await s.paneTitle();
  if (title !== titleBefore)
    v.push(`pane title changed to ${JSON.stringify(title)} (OSC 0/2 reached the terminal)`);
  for (const m of f.escaped.matchAll(/\x1b(\[[0-9;:]*m)?/g)) {
    if (!m[1]) {
      v.push(
        `a non-SGR escape in the captured screen: ${JSON.stringify(f.escaped.slice(m.index, m.index + 12))}`,
      );
      continue;
    }
    const foreign = m[1]
      .slice(1, -1)
      .split(/[;:]/)
      .filter((p) => !ALLOWED_SGR.has(p));
    if (foreign.length) v.push(`foreign SGR ${JSON.stringify(m[1])} (parameters ${foreign.join(',')})`);
  }
  if (BIDI.test(f.text)) v.push('a bidi override/isolate character is on screen');
  if (CONTROL.test(f.text.replace(/\n/g, ''))) v.push('a control character is on screen');
  // A payload shown escaped (`\u001b]0;PWNED...` in a validation message) is harmless text.
  for (const word of LEAK_MARKERS)
    if (f.lines.some((l) => l.includes(word) && !/\\u001b|\\x1b|\\e/.test(l)))
      v.push(`payload text "${word}" is on screen`);
  if (f.lines.some((l) => l.startsWith('OVERWRITE')))
    v.push('a carriage return moved the cursor to column 0');
  if (!f.lines[0]?.startsWith('epinio-dex-admin'))
    v.push(`row 1 is not the header: ${JSON.stringify(f.lines[0])}`);
  if (!/1 Connectors\s+>?2 Role mappings\s+>?3 Users\s+>?4 Dex local users/.test(f.lines[1] ?? ''))
    v.push(`row 2 is not the tab bar: ${JSON.stringify(f.lines[1])}`);
  if (options.footerHints && !/\? help · q quit\s*$/.test(f.lines[ROWS - 2] ?? ''))
    v.push(`row ${ROWS - 1} is not the key hints line: ${JSON.stringify(f.lines[ROWS - 2])}`);
  f.lines.forEach((l, i) => {
    if (displayWidth(l) > COLS) v.push(`row ${i + 1} is ${displayWidth(l)} columns wide (terminal: ${COLS})`);
  });
  return v;
}

/**
 * Every line of the list under the header line must have its `value` cell starting exactly under
 * the column title: a wide character counted as one column, or a newline in a cell, breaks this.
 */
function columnViolations(
  f: Frame,
  headerTitles: string[],
  column: string,
  value: RegExp,
  rowFilter: (line: string) => boolean = () => true,
): string[] {
  const v: string[] = [];
  const h = f.lines.findIndex((l) => headerTitles.every((t) => l.includes(t)));
  if (h < 0) return [`no list header with ${headerTitles.join(', ')}`];
  const col = displayColumn(f.lines[h]!, f.lines[h]!.indexOf(column));
  let rows = 0;
  for (let i = h + 1; i < f.lines.length; i++) {
    const line = f.lines[i]!;
    if (!/^(> | {2})/.test(line) || /^\s+\d+-\d+ of \d+$/.test(line)) break;
    if (!rowFilter(line)) continue;
    rows++;
    const at = [...line.matchAll(new RegExp(value.source, 'g'))].map((m) => displayColumn(line, m.index));
    if (!at.includes(col))
      v.push(`row ${i + 1}: the ${column} cell is not at column ${col + 1}: ${JSON.stringify(line)}`);
  }
  if (!rows) v.push(`no rows under the ${column} header`);
  return v;
}

/** The top-most dialog box (round border) must be a closed rectangle. */
function boxViolations(f: Frame): string[] {
  const top = f.lines.findIndex((l) => l.includes('╭'));
  if (top < 0) return ['no dialog box on screen'];
  const left = displayColumn(f.lines[top]!, f.lines[top]!.indexOf('╭'));
  const right = displayColumn(f.lines[top]!, f.lines[top]!.indexOf('╮'));
  const charAt = (line: string, col: number): string | undefined => {
    let c = 0;
    for (const ch of line) {
      if (c === col) return ch;
      c += displayWidth(ch);
      if (c > col) return undefined; // inside a wide character
    }
    return undefined;
  };
  const v: string[] = [];
  for (let i = top + 1; i < f.lines.length; i++) {
    const line = f.lines[i]!;
    if (charAt(line, left) === '╰') {
      if (charAt(line, right) !== '╯')
        v.push(`row ${i + 1}: bottom border does not end at column ${right + 1}: ${JSON.stringify(line)}`);
      return v;
    }
    if (charAt(line, left) !== '│' || charAt(line, right) !== '│')
      v.push(`row ${i + 1}: dialog border not at columns ${left + 1}/${right + 1}: ${JSON.stringify(line)}`);
  }
  v.push('the dialog box has no bottom border (cut off)');
  return v;
}

async function openHostile(): Promise<{ s: TmuxSession; title: string }> {
  const s = await start(binArgv('--file', manifestCopy()), { cols: COLS, rows: ROWS });
  const title = await s.paneTitle();
  await s.waitFor(/1 Connectors[\s\S]*PROBLEMS[\s\S]*cjk/, { timeoutMs: 120_000 });
  return { s, title };
}

/** Collects the violations of every screen of one test, so one broken screen does not hide the next. */
class Findings {
  private readonly items: { where: string; v: string[]; screen: string }[] = [];
  add(where: string, v: string[], f: Frame): void {
    if (v.length) this.items.push({ where, v, screen: f.text });
  }
  assertClean(): void {
    const text = this.items
      .map((i) => `== ${i.where}:\n${i.v.join('\n')}\n--- screen ---\n${i.screen.replace(/\n+$/, '')}`)
      .join('\n');
    assert.deepEqual(
      this.items.flatMap((i) => i.v.map((x) => `${i.where}: ${x}`)),
      [],
      `hostile content broke the terminal:\n${text}`,
    );
  }
}

const T = { timeout: 300_000 };

test('hostile: connectors list and each connector detail', T, async () => {
  const { s, title } = await openHostile();
  const findings = new Findings();
  try {
    let f = await frame(s);
    findings.add(
      'connectors list',
      [
        ...(await screenViolations(s, f, title, { footerHints: true })),
        ...columnViolations(f, ['ID', 'TYPE', 'NAME', 'PROBLEMS'], 'PROBLEMS', /ok|\d+ error|\d+ warn/),
      ],
      f,
    );
    for (let i = 0; i < 3; i++) {
      if (i) await s.press('j');
      await s.press('Enter', '╭');
      f = await frame(s);
      findings.add(
        `detail ${i + 1}`,
        [...(await screenViolations(s, f, title, { footerHints: false })), ...boxViolations(f)],
        f,
      );
      await s.keys('Escape');
      await s.waitUntil((t) => !t.includes('╭'), 'the detail dialog to close');
    }
    findings.assertClean();
  } finally {
    await s.stop();
  }
});

test('hostile: role mappings list and the group edit dialog', T, async () => {
  const { s, title } = await openHostile();
  const findings = new Findings();
  try {
    await s.press('2', 'CONNECTOR / GROUP');
    let f = await frame(s);
    findings.add(
      'mappings list',
      [
        ...(await screenViolations(s, f, title, { footerHints: true })),
        ...columnViolations(f, ['CONNECTOR / GROUP', 'ROLES'], 'ROLES', /\S/, (l) => l.includes('└')),
      ],
      f,
    );
    // The group edit dialog pre-fills its fields with the stored id and roles.
    for (const row of [1, 2]) {
      await s.press('j', new RegExp(`^> +└ ${row === 1 ? 'acme' : '山田'}`, 'm'));
      await s.press('Enter', '╭');
      f = await frame(s);
      findings.add(
        `group row ${row}`,
        [...(await screenViolations(s, f, title, { footerHints: false })), ...boxViolations(f)],
        f,
      );
      await s.keys('Escape');
      await s.waitUntil((t) => !t.includes('╭'), 'the group dialog to close');
    }
    findings.assertClean();
  } finally {
    await s.stop();
  }
});

test('hostile: users list, each user detail and the roles dialog', T, async () => {
  const { s, title } = await openHostile();
  const findings = new Findings();
  try {
    await s.press('3', /\d+ of \d+ users/);
    let f = await frame(s);
    const listV = [
      ...(await screenViolations(s, f, title, { footerHints: true })),
      ...columnViolations(f, ['USERNAME', 'ROLES', 'PASSWORD'], 'PASSWORD', /set|none|invalid/),
    ];
    assert.match(
      f.text,
      new RegExp(`${HOSTILE_USERS.length} of ${HOSTILE_USERS.length} users`),
      'every hostile user is listed',
    );
    findings.add('users list', listV, f);
    for (let i = 0; i < HOSTILE_USERS.length; i++) {
      if (i) await s.press('j');
      await s.press('Enter', '╭');
      f = await frame(s);
      findings.add(
        `user ${i + 1} detail`,
        [...(await screenViolations(s, f, title, { footerHints: false })), ...boxViolations(f)],
        f,
      );
      await s.keys('Escape');
      await s.waitUntil((t) => !t.includes('╭'), 'the user detail to close');
    }
    // Roles dialog of the user whose roles annotation carries a colour sequence (row 2).
    await s.press('Home', /^> eviluser/m);
    await s.press('j', /^> colour/m);
    await s.press('r', /╭[\s\S]*Roles of/);
    f = await frame(s);
    findings.add(
      `roles dialog`,
      [...(await screenViolations(s, f, title, { footerHints: false })), ...boxViolations(f)],
      f,
    );
    await s.keys('Escape');
    findings.assertClean();
  } finally {
    await s.stop();
  }
});

test('hostile: Dex local users list and help', T, async () => {
  const { s, title } = await openHostile();
  const findings = new Findings();
  try {
    await s.press('4', 'EMAIL');
    let f = await frame(s);
    findings.add(
      'Dex local users',
      [
        ...(await screenViolations(s, f, title, { footerHints: true })),
        ...columnViolations(f, ['EMAIL', 'USERNAME', 'GROUPS', 'HASH'], 'HASH', /bcrypt|none|invalid|env/),
      ],
      f,
    );
    await s.press('?', /╭[\s\S]*Keys/);
    f = await frame(s);
    findings.add(
      'help',
      [...(await screenViolations(s, f, title, { footerHints: false })), ...boxViolations(f)],
      f,
    );
    findings.assertClean();
  } finally {
    await s.stop();
  }
});

test(
  'hostile: status line, save diff and quit dialog after staging a move of the hostile connector',
  T,
  async () => {
    const { s, title } = await openHostile();
    const findings = new Findings();
    try {
      // J stages "move connector <hostile id> down": the id ends up in the status line.
      await s.press('J', 'staged:');
      let f = await frame(s);
      findings.add('status after staging', await screenViolations(s, f, title, { footerHints: true }), f);
      await s.press('w', /╭[\s\S]*Save dex-config/);
      f = await frame(s);
      findings.add(
        'save dialog',
        [...(await screenViolations(s, f, title, { footerHints: false })), ...boxViolations(f)],
        f,
      );
      await s.keys('Escape');
      await s.waitUntil((t) => !t.includes('╭'), 'the save dialog to close (cancel)');
      await s.press('q', /╭[\s\S]*Quit with unsaved changes/);
      f = await frame(s);
      findings.add(
        'quit dialog',
        [...(await screenViolations(s, f, title, { footerHints: false })), ...boxViolations(f)],
        f,
      );
      findings.assertClean();
    } finally {
      await s.stop();
    }
  },
);

const execFileP = promisify(execFile);

for (const command of [
  ['users', 'list'],
  ['connectors', 'list'],
  ['mappings', 'list'],
  ['roles', 'list'],
]) {
  test(`hostile: scripted \`${command.join(' ')}\` (table) prints no escape or control bytes`, async () => {
    const [node, ...args] = binArgv('--file', manifestCopy(), ...command);
    const { stdout } = await execFileP(node!, args, {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0' },
    });
    assert.ok(stdout.length > 0, 'the command printed a table');
    const problems: string[] = [];
    stdout.split('\n').forEach((line, i) => {
      const esc = line.indexOf('\x1b');
      if (esc >= 0)
        problems.push(
          `line ${i + 1}: ESC at ${esc}: ${JSON.stringify(line.slice(Math.max(0, esc - 20), esc + 20))}`,
        );
      else if (CONTROL.test(line))
        problems.push(`line ${i + 1}: control character: ${JSON.stringify(line.slice(0, 120))}`);
      if (BIDI.test(line))
        problems.push(`line ${i + 1}: bidi override: ${JSON.stringify(line.slice(0, 120))}`);
    });
    for (const word of LEAK_MARKERS)
      if (stdout.includes(word)) problems.push(`payload text "${word}" printed`);
    assert.deepEqual(problems, [], `${command.join(' ')} printed terminal controls from cluster data`);
  });
}
