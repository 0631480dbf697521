// CSV for the access review: RFC 4180 quoting and CRLF, and no cell a spreadsheet would run as a
// formula (CSV injection), whatever a username or role holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, formatCsv } from '../../../source/output/csv.js';

test('RFC 4180: commas, quotes and line breaks quoted, quotes doubled, CRLF after every record', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(['admin', 'user:ns']), 'admin;user:ns');
  assert.equal(csvField(undefined), '');
  assert.equal(
    formatCsv(
      ['a', 'b'],
      [
        ['1', '2'],
        ['x,y', ''],
      ],
    ),
    'a,b\r\n1,2\r\n"x,y",\r\n',
  );
});

test('cells starting with = + - @ tab or CR are prefixed with a quote', () => {
  assert.equal(csvField('=HYPERLINK("http://evil","x")'), `"'=HYPERLINK(""http://evil"",""x"")"`);
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-2+3'), "'-2+3");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
  assert.equal(csvField(['=cmd', 'ok']), "'=cmd;ok");
  assert.equal(csvField('a=b'), 'a=b');
});
