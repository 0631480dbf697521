// users report on hostile content: a username from the cluster that is a spreadsheet formula with
// a terminal escape inside. CSV quotes the formula (and keeps the bytes when stdout is a file);
// the table and CSV on a terminal carry no escape.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixtureCopy, run } from './harness.js';

const HOSTILE = '=HYPERLINK("http://evil")\u001b[31m';

function hostileManifest(): string {
  const file = fixtureCopy();
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes('      username: admin\n'));
  writeFileSync(
    file,
    text.replace('      username: admin\n', '      username: "=HYPERLINK(\\"http://evil\\")\\e[31m"\n'),
  );
  return file;
}

test('users report: a formula username is quoted in CSV; no escape reaches a terminal', async () => {
  const file = hostileManifest();
  const csv = await run(['users', 'report', '-o', 'csv', '--file', file]);
  assert.equal(csv.code, 0, csv.stderr);
  const row = csv.stdout.split('\r\n')[1];
  assert.equal(row.startsWith(`"'=HYPERLINK(""http://evil"")\u001b[31m",local password,admin,`), true, row);
  const tty = await run(['users', 'report', '-o', 'csv', '--file', file], { stdoutTTY: true });
  assert.equal(tty.stdout.includes('\u001b'), false);
  assert.ok(tty.stdout.includes(`"'=HYPERLINK(""http://evil"")`));
  const table = await run(['users', 'report', '--file', file]);
  assert.equal(table.code, 0);
  assert.equal(table.stdout.includes('\u001b'), false);
  assert.match(table.stdout, /\n=HYPERLINK\("http:\/\/evil"\)\S* +local password +admin /);
  const json = JSON.parse((await run(['users', 'report', '-o', 'json', '--file', file])).stdout) as {
    username: string;
  }[];
  assert.equal(json[0]?.username, HOSTILE, 'json keeps the value as is (escaped by JSON)');
});
