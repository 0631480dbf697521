// The bench's statistics helpers (bench/stats.ts): the figures in the README come from these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, median, percentile, ratio, summarize } from '../../bench/stats.js';

test('median: odd and even counts, order does not matter, empty is NaN', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([5]), 5);
  assert.ok(Number.isNaN(median([])));
});

test('percentile: nearest rank, p0 is the minimum, p100 the maximum', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  assert.equal(percentile(hundred, 50), 50);
  assert.equal(percentile(hundred, 99), 99);
  assert.equal(percentile(hundred, 100), 100);
  assert.equal(percentile(hundred, 0), 1);
  assert.equal(percentile([7], 99), 7);
  // 10 samples: p99 is the largest (rank ceil(9.9) = 10), p50 the 5th.
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99), 10);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.throws(() => percentile([1], 101), RangeError);
});

test('percentile does not reorder the caller’s samples', () => {
  const samples = [3, 1, 2];
  percentile(samples, 50);
  median(samples);
  assert.deepEqual(samples, [3, 1, 2]);
});

test('summarize and ratio', () => {
  assert.deepEqual(summarize([2, 4, 6]), { n: 3, median: 4, p50: 4, p99: 6, min: 2, max: 6 });
  assert.equal(ratio(150, 100), 1.5);
  assert.equal(ratio(1, 3), 0.33);
  assert.ok(Number.isNaN(ratio(1, 0)));
  assert.ok(Number.isNaN(ratio(NaN, 1)));
});

test('formatTable aligns columns', () => {
  const t = formatTable(
    ['a', 'bb', 'c'],
    [
      ['x', '1', 'yes'],
      ['long', '123', 'no'],
    ],
  ).split('\n');
  assert.equal(t[0], 'a    |  bb | c');
  assert.equal(t[2], 'x    |   1 | yes');
  assert.equal(t[3], 'long | 123 | no');
});
