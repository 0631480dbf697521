import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  availableActions,
  footerHints,
  helpRows,
  keyName,
  resolveKey,
  type Action,
} from '../../../source/ui/keys.js';

const ran: string[] = [];
const actions: Action[] = [
  { id: 'detail', keys: ['enter'], label: 'details', run: () => ran.push('detail') },
  { id: 'add', keys: ['a'], label: 'add', dangerous: true, run: () => ran.push('add') },
  { id: 'raw', keys: ['E'], label: 'edit YAML', dangerous: true, helpOnly: true, run: () => ran.push('raw') },
  { id: 'help', keys: ['?'], label: 'help', run: () => ran.push('help') },
];

test('keyName normalises Ink keys', () => {
  assert.equal(keyName('c', { ctrl: true }), 'ctrl+c');
  assert.equal(keyName('', { tab: true, shift: true }), 'shift+tab');
  assert.equal(keyName('', { return: true }), 'enter');
  assert.equal(keyName('', { upArrow: true }), 'up');
  assert.equal(keyName(' ', {}), 'space');
  assert.equal(keyName('K', { shift: true }), 'K');
});

test('read-only drops dangerous actions from footer, help and the handler', () => {
  assert.deepEqual(
    availableActions(actions, true).map((a) => a.id),
    ['detail', 'help'],
  );
  assert.equal(footerHints(actions, true), '⏎ details · ? help');
  assert.ok(!helpRows(actions, true).some((r) => r.label === 'add' || r.label === 'edit YAML'));
  const r = resolveKey(actions, 'a', { on: true, reasons: ['cannot patch secrets "dex-config"'] });
  assert.equal(r.kind, 'refused');
  assert.match((r as { reason: string }).reason, /read-only mode \(cannot patch secrets "dex-config"\)/);
});

test('writable: footer shows non-help-only actions, help shows all, keys run', () => {
  assert.equal(footerHints(actions, false), '⏎ details · a add · ? help');
  assert.equal(helpRows(actions, false).length, 4);
  const r = resolveKey(actions, 'a', { on: false, reasons: [] });
  assert.equal(r.kind, 'run');
  if (r.kind === 'run') r.action.run('a', 'a');
  assert.deepEqual(ran, ['add']);
  assert.equal(resolveKey(actions, 'x', { on: false, reasons: [] }).kind, 'none');
});
