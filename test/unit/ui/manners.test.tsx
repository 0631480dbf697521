// Terminal manners through the real app on a demo file store: plain frames (our --plain context and
// Ink's own screen-reader switch) carry no box drawing and announce status changes; the session
// journal's exit line names what was saved and nothing secret; production marks live in their file,
// show as a badge and make the save confirmation name the context.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../../source/ui/app.js';
import { monoTheme } from '../../../source/ui/theme.js';
import { MannersProvider } from '../../../source/ui/manners.js';
import { SessionJournal } from '../../../source/ui/state/journal.js';
import { readContextMarks, writeContextMarks, contextMarksPath } from '../../../source/ui/contextMarks.js';
import { plainText } from '../../../source/ui/plain.js';
import type { ContextInfo, Store } from '../../../source/store/types.js';
import { KEY, press, spiedDemoStore, waitFor, waitText } from './helpers.js';

afterEach(() => cleanup());

const BOX_DRAWING = /[\u2500-\u257f]/;

function renderWith(
  store: Store,
  manners: Omit<React.ComponentProps<typeof MannersProvider>, 'children'>,
  extra: Partial<React.ComponentProps<typeof App>> = {},
) {
  return render(
    <MannersProvider {...manners}>
      <App
        store={store}
        readOnly={false}
        onExit={() => {}}
        theme={monoTheme}
        size={{ columns: 120, rows: 40 }}
        {...extra}
      />
    </MannersProvider>,
  );
}

/** Stages the removal of the demo's Dex local user and saves it (Cancel is the default button). */
async function removeAndSave(r: ReturnType<typeof render>, saved: RegExp): Promise<string[]> {
  const frames: string[] = [];
  await press(r.stdin, '4');
  frames.push(await waitText(r.lastFrame, 'admin@epinio.io'));
  await press(r.stdin, 'd');
  frames.push(await waitText(r.lastFrame, 'Remove Dex local user'));
  await press(r.stdin, KEY.tab, KEY.enter);
  frames.push(await waitText(r.lastFrame, 'staged: remove Dex local user'));
  await press(r.stdin, 'w');
  frames.push(await waitText(r.lastFrame, 'Save dex-config'));
  await press(r.stdin, KEY.tab, KEY.enter);
  frames.push(await waitFor(r.lastFrame, (f) => saved.test(f), 'saved', 20000));
  return frames;
}

test('plain (--plain context): no box drawing in any frame; lists and dialogs as lines; status changes announced once each', async () => {
  const { store } = await spiedDemoStore();
  const r = renderWith(store, { plain: true });
  const frames = [await waitText(r.lastFrame, 'list, 3 rows')];
  assert.match(frames[0]!, /^selected: 1, id github, type github, name GitHub, problems ok$/m);
  await press(r.stdin, '?');
  frames.push(await waitText(r.lastFrame, 'dialog: '));
  await press(r.stdin, KEY.escape);
  await waitFor(r.lastFrame, (f) => !f.includes('dialog: '), 'help closed');
  frames.push(...(await removeAndSave(r, /^success: saved config\.yaml/m)));
  for (const f of frames) assert.doesNotMatch(f, BOX_DRAWING, f);
  const last = frames[frames.length - 1]!;
  // The staging and the save were each announced exactly once, in order, on lines of their own.
  const announced = last.split('\n').filter((l) => /^(info|success|warning|error): /.test(l));
  assert.deepEqual(
    announced.map((l) => l.replace(/ \(.*$|;.*$/, '')),
    [
      'info: staged: remove Dex local user admin@epinio.io',
      'info: saving config.yaml…'.replace('…', '...'),
      'success: saved config.yaml',
    ],
  );
  assert.match(last, /^status, success: saved config\.yaml/m);
});

test("Ink's screen-reader switch (INK_SCREEN_READER=true) turns plain rendering on without --plain", async () => {
  const { store } = await spiedDemoStore();
  process.env.INK_SCREEN_READER = 'true';
  try {
    const r = renderWith(store, {});
    const f = await waitText(r.lastFrame, 'list, 3 rows');
    assert.doesNotMatch(f, BOX_DRAWING);
    await press(r.stdin, 'a');
    const dialog = await waitText(r.lastFrame, 'dialog: Add connector');
    assert.doesNotMatch(dialog, BOX_DRAWING);
  } finally {
    delete process.env.INK_SCREEN_READER;
  }
});

test('without plain the same dialog has its border (the plain tests can fail)', async () => {
  const { store } = await spiedDemoStore();
  const r = renderWith(store, {});
  await waitText(r.lastFrame, 'Corporate LDAP');
  await press(r.stdin, 'a');
  assert.match(await waitText(r.lastFrame, 'Add connector'), BOX_DRAWING);
});

test('plainText: key glyphs and status marks become words; box drawing goes', () => {
  assert.equal(plainText('⏎ choose · ↑/↓ move · ⇧↑ up'), 'enter choose, up/down move, shift+up up');
  assert.equal(plainText('✓ saved ✗ failed ● unsaved'), 'ok: saved error: failed unsaved');
  assert.equal(plainText('  └ admins'), '  admins');
});

test('exit summary: a save names its staged changes; no hash, no secret; discarded steps counted', async () => {
  const { store } = await spiedDemoStore();
  const journal = new SessionJournal();
  const r = renderWith(store, { journal });
  await waitText(r.lastFrame, 'Corporate LDAP');
  await removeAndSave(r, /saved config\.yaml/);
  await press(r.stdin, KEY.escape); // the restart offer
  await press(r.stdin, '4');
  await press(r.stdin, 'd');
  await waitText(r.lastFrame, 'Remove Dex local user');
  await press(r.stdin, KEY.tab, KEY.enter);
  await waitText(r.lastFrame, 'staged:');
  const line = journal.summary('demo x, namespace epinio');
  assert.match(
    line ?? '',
    /^epinio-dex-admin \(demo x, namespace epinio\): saved dex-config config\.yaml \(1 change: remove Dex local user admin@epinio\.io\); 1 staged change discarded$/,
  );
  assert.doesNotMatch(line!, /\$2[aby]\$|hash|\*\*\*/);
});

test('journal: nothing written and nothing staged is no line; user writes are listed without their details', () => {
  const j = new SessionJournal();
  j.track({ steps: [] });
  assert.equal(j.summary('here'), null);
  j.observe({
    type: 'status',
    status: { level: 'success', message: 'password of bob set and verified (re-read from cluster)' },
  });
  j.observe({ type: 'status', status: { level: 'info', message: 'created user x' } }); // not a success: nothing written
  j.observe({ type: 'status', status: { level: 'success', message: 'switched to context prod' } });
  j.observe({ type: 'status', status: { level: 'success', message: 'created user carol (Secret r0123)' } });
  assert.equal(
    j.summary('context dev, namespace epinio'),
    'epinio-dex-admin (context dev, namespace epinio): password of bob set and verified; in context prod: created user carol',
  );
});

test('context marks file: missing is no marks; written private and sorted; bad JSON is an error and is not overwritten', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eda-marks-'));
  assert.equal(contextMarksPath({ XDG_CONFIG_HOME: dir }), join(dir, 'epinio-dex-admin', 'contexts.json'));
  assert.equal(contextMarksPath({ HOME: '/h' }), '/h/.config/epinio-dex-admin/contexts.json');
  const path = contextMarksPath({ XDG_CONFIG_HOME: dir });
  assert.deepEqual(readContextMarks(path), { marks: { production: [] } });
  writeContextMarks(path, { production: ['prod-us', 'prod-eu', 'prod-us'] });
  assert.equal(readFileSync(path, 'utf8'), '{\n  "production": [\n    "prod-eu",\n    "prod-us"\n  ]\n}\n');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  writeFileSync(path, '{"production": "prod"}');
  assert.deepEqual(readContextMarks(path), {
    error: `${path}: "production" must be a list of context names`,
  });
  writeFileSync(path, '{oops');
  assert.match(
    (readContextMarks(path) as { error: string }).error,
    /is not valid JSON .*; fix or remove it$/,
  );
});

test('production: Ctrl+P in the context picker marks the context (file written), the header shows PRODUCTION, the save names it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eda-marks-'));
  const marksPath = join(dir, 'contexts.json');
  const { store: demo } = await spiedDemoStore();
  // The demo store, seen as a cluster context named prod-eu (the marks apply to cluster contexts only).
  const location = { ...demo.location, backend: 'cluster' as const, context: 'prod-eu', namespace: 'epinio' };
  const store = new Proxy(demo, {
    get: (t, p, rcv) => (p === 'location' ? location : Reflect.get(t, p, rcv)),
  });
  const contexts: ContextInfo[] = [
    { name: 'prod-eu', cluster: 'eu', current: true },
    { name: 'dev', cluster: 'dev', current: false },
  ];
  const r = renderWith(store, { marksPath }, { listContexts: async () => contexts });
  const before = await waitText(r.lastFrame, 'Corporate LDAP');
  assert.doesNotMatch(before, /PRODUCTION/);
  await press(r.stdin, 'c');
  await waitText(r.lastFrame, 'Switch kubeconfig context');
  await waitText(r.lastFrame, 'mark as production');
  await press(r.stdin, '\x10'); // Ctrl+P on the highlighted (first) context
  await waitText(r.lastFrame, 'prod-eu [PRODUCTION]');
  assert.deepEqual(JSON.parse(readFileSync(marksPath, 'utf8')), { production: ['prod-eu'] });
  await press(r.stdin, KEY.escape);
  // The badge on the header's first line (inverse red in colour; mono here).
  await waitFor(r.lastFrame, (f) => /context prod-eu +PRODUCTION$/.test(f.split('\n')[0]!), 'the badge');
  await press(r.stdin, '4');
  await waitText(r.lastFrame, 'admin@epinio.io');
  await press(r.stdin, 'd');
  await waitText(r.lastFrame, 'Remove Dex local user');
  await press(r.stdin, KEY.tab, KEY.enter);
  await waitText(r.lastFrame, 'staged:');
  await press(r.stdin, 'w');
  const save = await waitText(r.lastFrame, 'Save dex-config on PRODUCTION context prod-eu');
  assert.match(save, /\[ Save to PRODUCTION \]/);
  // Unmark again: the file keeps no entry.
  await press(r.stdin, KEY.escape);
  await press(r.stdin, 'c');
  await waitText(r.lastFrame, 'unmark production');
  await press(r.stdin, '\x10');
  await waitFor(r.lastFrame, (f) => !f.includes('[PRODUCTION]'), 'unmarked');
  assert.deepEqual(JSON.parse(readFileSync(marksPath, 'utf8')), { production: [] });
});
