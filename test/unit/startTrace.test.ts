// EDA_TRACE_START (source/startTrace.ts): the start's milestones, once each, in order, to the file
// the benchmark names; nothing without the variable.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mark, startTrace } from '../../source/startTrace.js';

test('writes each milestone once, with ms since the process started, only when asked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eda-trace-'));
  const file = join(dir, 'trace');
  startTrace({}, 'main');
  mark('ignored');
  assert.equal(existsSync(file), false);

  startTrace({ EDA_TRACE_START: file }, 'main');
  mark('first-request');
  mark('first-request');
  process.stdout.write('');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.deepEqual(
    lines.map((l) => l.split(' ')[0]),
    ['main', 'first-request', 'write-1'],
  );
  const times = lines.map((l) => Number(l.split(' ')[1]));
  assert.ok(times.every((t) => Number.isFinite(t) && t > 0 && t < process.uptime() * 1000 + 1));
  assert.deepEqual(
    [...times].sort((a, b) => a - b),
    times,
  );
});
