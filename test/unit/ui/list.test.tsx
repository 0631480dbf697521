// List columns are sized in terminal columns: wide characters and emoji keep the next column
// aligned, and truncation never cuts a character in half.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render, cleanup } from 'ink-testing-library';
import stringWidth from 'string-width';
import { List, type Column } from '../../../source/ui/components/List.js';
import { ThemeContext, monoTheme } from '../../../source/ui/theme.js';
import { fitWidth, truncateWidth } from '../../../source/ui/text.js';

afterEach(() => cleanup());

test('fitWidth pads and truncates by display width, never splitting a wide character or emoji', () => {
  assert.equal(fitWidth('abc', 5), 'abc  ');
  assert.equal(fitWidth('abcdef', 5), 'abcd…');
  assert.equal(fitWidth('山田太郎', 8), '山田太郎');
  assert.equal(
    fitWidth('山田太郎', 6),
    '山田… ',
    'a wide character that does not fit leaves a space, not half of it',
  );
  assert.equal(fitWidth('🚀🚀🚀rocket', 6), '🚀🚀… ');
  assert.equal(fitWidth('👩‍👩‍👧x', 3), '👩‍👩‍👧x', 'a ZWJ emoji sequence is one grapheme');
  assert.equal(truncateWidth('👩‍👩‍👧xyz', 3), '👩‍👩‍👧…');
  for (const s of [
    '山田太郎の管理者アカウント@例え.jp',
    '🚀🚀🚀rocket🔥@example.com',
    'é'.normalize('NFD').repeat(20),
  ])
    for (let w = 1; w < 30; w++) {
      const f = fitWidth(s, w);
      assert.equal(stringWidth(f), w, `${JSON.stringify(s)} at ${w}`);
      assert.doesNotMatch(f, /\uFFFD/);
      assert.ok(!/[\ud800-\udbff]$|^[\udc00-\udfff]/.test(f.replace(/[ …]+$/, '')), 'no lone surrogate');
    }
});

test('truncateWidth cuts a 10,000-character value exactly as it cuts its first columns', () => {
  // The reference: measure the whole string, then walk every grapheme (what it did before it
  // learnt to stop at the cut).
  const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const reference = (s: string, width: number): string => {
    if (width <= 0) return '';
    if (stringWidth(s) <= width) return s;
    let out = '';
    let used = 0;
    for (const { segment } of seg.segment(s)) {
      if (used + stringWidth(segment) > width - 1) break;
      out += segment;
      used += stringWidth(segment);
    }
    return `${out}…`;
  };
  for (const unit of ['a', '山', '🚀', 'e\u0301', 'ab山🚀x'])
    for (const length of [1, 3, 10, 10_000])
      for (const w of [0, 1, 2, 3, 5, 30]) {
        const s = unit.repeat(length);
        assert.equal(truncateWidth(s, w), reference(s, w), `${JSON.stringify(unit)} x${length} at ${w}`);
      }
});

interface Row {
  id: string;
  name: string;
  kind: string;
}
const columns: Column<Row>[] = [
  { title: 'NAME', width: 12, cell: (r) => r.name },
  { title: 'KIND', width: 6, cell: (r) => r.kind },
];

test('List: the second column starts at the same screen column for wide, emoji and plain cells', () => {
  const rows: Row[] = [
    { id: '1', name: 'plain', kind: 'ok' },
    { id: '2', name: '山田太郎の管理者', kind: 'ok' },
    { id: '3', name: '🚀🚀🚀rocket🔥', kind: 'ok' },
    { id: '4', name: '日本', kind: 'ok' },
  ];
  const { lastFrame } = render(
    <ThemeContext.Provider value={monoTheme}>
      <List
        rows={rows}
        rowId={(r) => r.id}
        columns={columns}
        position={{ cursor: 0, offset: 0 }}
        height={10}
      />
    </ThemeContext.Provider>,
  );
  const lines = lastFrame()!.split('\n');
  const col = (line: string, needle: string) => stringWidth(line.slice(0, line.indexOf(needle)));
  const kindCol = col(lines[0]!, 'KIND');
  for (const line of lines.slice(1, 5)) {
    assert.equal(col(line, 'ok'), kindCol, `KIND cell aligned: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /\uFFFD/);
  }
});
