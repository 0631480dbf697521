// The command table is the single source of the README's command list: every command has a row in
// the README's command table and at least one example, and the README's example block is exactly
// the table's examples (regenerate it from the failure message when a command changes).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS as ALL } from '../../../source/commands/specs.js';
import { ROOT } from './harness.js';

// The hidden commands (the completion scripts' `__complete`) are not the operator's to run.
const COMMANDS = ALL.filter((c) => !c.hidden);
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const START = '<!-- command-examples: generated from source/commands/specs.ts -->';
const END = '<!-- /command-examples -->';

function examplesBlock(): string {
  const lines = COMMANDS.flatMap((c) => (c.examples ?? []).map((e) => `$ epinio-dex-admin ${e}`));
  return `${START}\n\`\`\`console\n${lines.join('\n')}\n\`\`\`\n${END}`;
}

test('every command has an example, and the README example block is the command table’s', () => {
  assert.deepEqual(
    COMMANDS.filter((c) => !c.examples?.length).map((c) => c.path.join(' ')),
    [],
  );
  const at = README.indexOf(START);
  const end = README.indexOf(END);
  assert.ok(at >= 0 && end > at, `README.md needs the block:\n${examplesBlock()}`);
  assert.equal(README.slice(at, end + END.length), examplesBlock());
});

test('every command has a row in the README command table', () => {
  const rows = README.split('\n').filter((l) => l.startsWith('| `'));
  const missing = COMMANDS.map((c) => c.path.join(' ')).filter(
    (path) => !rows.some((r) => r.startsWith(`| \`${path}`) || r.includes(`, \`${path}`)),
  );
  assert.deepEqual(missing, []);
});
