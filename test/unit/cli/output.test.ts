// Output formatting: aligned tables measured in terminal cells, sanitized cells, colour only on a
// TTY without NO_COLOR, and the JSON/YAML renderers.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { colorEnabled } from '../../../source/output/color.js';
import { render, toJson, toYaml } from '../../../source/output/format.js';
import { cellText, formatTable } from '../../../source/output/table.js';
import { FIXTURE, fixtureCopy, run } from './harness.js';

describe('formatTable', () => {
  it('aligns by display width, upper-cases headers and trims trailing space', () => {
    assert.equal(
      formatTable(
        ['name', 'roles', 'ok'],
        [
          ['日本語', ['a', 'b'], true],
          ['x', [], false],
          ['emoji😀', null, undefined],
        ],
      ),
      ['NAME      ROLES   OK', '日本語    a,b     yes', 'x                 no', 'emoji😀', ''].join('\n'),
    );
  });

  it('neutralizes escape sequences and newlines from cluster data', () => {
    assert.equal(cellText('evil\u001b[2J\u001b]0;title\u0007name'), 'evilname');
    assert.equal(cellText('two\nlines'), 'two\u21b5lines');
    assert.doesNotMatch(formatTable(['a'], [['\u001b[31mred\u001b[0m']]), /\u001b/);
  });

  it('sanitizes list cells (roles, namespaces) and line breaks in them', () => {
    assert.equal(cellText(['user', 'admin\u001b[38;5;201m']), 'user,admin');
    assert.equal(cellText(['ns\u001b[12;40Hx\n', 'b\u202e']), 'ns\u0078\u21b5,b');
    assert.equal(cellText('cr\rOVERWRITE'), 'cr\u21b5OVERWRITE');
    const out = formatTable(['user', 'roles'], [['u\u001b]0;PWNED\u0007', ['a\u001b[5m', 'b\r\nc']]]);
    assert.doesNotMatch(out, /[\u001b\u0007\r\u202e]|PWNED/);
    assert.equal(out.split('\n').length, 3, 'one line per row');
  });
});

describe('colour', () => {
  it('is off for pipes, NO_COLOR and TERM=dumb', () => {
    assert.equal(colorEnabled({ isTTY: false }, {}), false);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(colorEnabled({ isTTY: true }, { TERM: 'dumb' }), false);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '' }), true);
    assert.equal(colorEnabled({ isTTY: true }, {}), true);
  });

  it('bolds table headers only on a terminal', async () => {
    const tty = await run(['roles', 'list', '--file', FIXTURE], { stdoutTTY: true });
    assert.match(tty.stdout, /^\u001b\[1mID {2,}NAME/);
    const noColor = await run(['roles', 'list', '--file', FIXTURE], {
      stdoutTTY: true,
      env: { NO_COLOR: '1' },
    });
    assert.doesNotMatch(noColor.stdout, /\u001b/);
    const piped = await run(['roles', 'list', '--file', FIXTURE]);
    assert.equal(piped.stdout, noColor.stdout);
  });
});

describe('json and yaml', () => {
  it('renders the value unchanged', () => {
    const value = { a: [1, 'x'], b: { c: null }, long: 'y'.repeat(200) };
    assert.equal(toJson(value), `${JSON.stringify(value, null, 2)}\n`);
    assert.equal(toYaml(value), `a:\n  - 1\n  - x\nb:\n  c: null\nlong: ${'y'.repeat(200)}\n`);
    assert.equal(
      render('table', value, () => 'T\n'),
      'T\n',
    );
    assert.equal(
      render('json', value, () => 'T\n'),
      toJson(value),
    );
  });
});

describe('--debug', () => {
  it('records the command but never the password or hash', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'eda-dbg-')), 'debug.log');
    const r = await run(
      [
        'users',
        'set-password',
        'ops@example.com',
        '--password-stdin',
        '--debug',
        log,
        '--file',
        fixtureCopy(),
      ],
      { stdin: 'Debug-Secret-42\n' },
    );
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(log, 'utf8');
    assert.match(text, /command users set-password flags=\[password-stdin\] backend=file namespace=epinio/);
    assert.ok(!text.includes('Debug-Secret-42'));
    assert.doesNotMatch(text, /\$2[aby]\$/);
  });

  it('refuses a planted symbolic link, and writes nothing where it points', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eda-dbg-'));
    const target = join(dir, 'target');
    writeFileSync(target, 'original\n', { mode: 0o644 });
    const link = join(dir, 'debug.log');
    symlinkSync(target, link);
    const r = await run(['users', 'list', '--debug', link, '--file', FIXTURE]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: cannot open the debug log ${link}: it is a symbolic link, and the debug log is never written through one\n`,
    );
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(target, 'utf8'), 'original\n');
    assert.equal(statSync(target).mode & 0o777, 0o644);
  });

  it('makes an existing 0644 log private (0600) and appends to it', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'eda-dbg-')), 'debug.log');
    writeFileSync(log, 'earlier line\n', { mode: 0o644 });
    chmodSync(log, 0o644);
    const r = await run(['users', 'list', '--debug', log, '--file', FIXTURE]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(log).mode & 0o777, 0o600);
    assert.match(readFileSync(log, 'utf8'), /^earlier line\n.* command users list /);
  });

  it('fails cleanly when the log cannot be opened', async () => {
    const r = await run(['users', 'list', '--debug', '/nonexistent/dir/debug.log', '--file', FIXTURE]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: cannot open the debug log \/nonexistent\/dir\/debug\.log: ENOENT[^\n]*\n$/,
    );
  });
});
