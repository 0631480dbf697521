// The module-map rules (.dependency-cruiser.cjs, `npm run deps` in CI) hold on source/, and fail on
// a tree with one deliberate violation of each kind (test/fixtures/deps): a cycle, a domain module
// doing I/O and importing the store, a store module importing the UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');
const config = join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string): { status: number | null; output: string } {
  const r = spawnSync(depcruise, ['source', '--config', config, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('source/ keeps the module map: no cycle, a pure domain, a store that knows no face', () => {
  const r = cruise(root);
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /no dependency violations found/);
});

test('the rules fail on deliberate violations, each named', () => {
  const r = cruise(join(root, 'test', 'fixtures', 'deps'));
  assert.notEqual(r.status, 0, r.output);
  assert.match(r.output, /error no-cycles: source\/ui\/(loop|back)\.ts/);
  assert.match(r.output, /error domain-is-pure: source\/domain\/leaky\.ts → source\/store\/plain\.ts/);
  assert.match(r.output, /error domain-no-io: source\/domain\/leaky\.ts → fs/);
  assert.match(r.output, /error store-not-faces: source\/store\/plain\.ts → source\/ui\/loop\.ts/);
});
