// The Role mappings screen shows mapping.line-break (a NEL, LS or PS that Epinio's yaml.v2 reads as a
// line break): above the list for a comment line of its own, on the group's row for one inside it.
// The real app on a file store of the CLI fixture manifest.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { MAPPING_KEY } from '../../../source/domain/names.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import { fixtureCopy } from '../cli/harness.js';
import { press, renderApp, waitFor } from './helpers.js';

afterEach(() => cleanup());

async function appOn(edit: (mapping: string) => string) {
  const file = fixtureCopy();
  const store = await createFileStore(file, { namespace: 'epinio' });
  const base = await store.getDexConfig();
  await store.saveDexConfig({ base, changes: { [MAPPING_KEY]: edit(base.data[MAPPING_KEY]!) } });
  const app = renderApp(store);
  await waitFor(app.lastFrame, (f) => f.includes('PROBLEMS'), 'connectors');
  await press(app.stdin, '2');
  await waitFor(app.lastFrame, (f) => f.includes('CONNECTOR / GROUP'), 'mappings');
  return app;
}

test('a NEL in a comment line of its own: the error stands above the list', async () => {
  const { lastFrame } = await appOn((m) => `# note\u0085- connectorId: evil\n${m}`);
  const frame = await waitFor(lastFrame, (f) => f.includes('U+0085'), 'the line-break error');
  const [above] = frame.split('CONNECTOR / GROUP');
  assert.match(above!, /\n✗ rolesMapping contains U\+0085 at line 1, which Epinio's YAML reader takes for a/);
  assert.doesNotMatch(frame, /\u0085/);
});

test("an LS inside a group id: the error is that group's (its row counts it, its entry and it show it), not above the list", async () => {
  const { lastFrame, stdin } = await appOn((m) => m.replace('"acme:developers"', '"acme:\u2028developers"'));
  const message = /\n✗ rolesMapping contains U\+2028 at line 7, which Epinio's YAML reader takes for a/;
  // The LS is drawn as the line-break marker (ui/text.ts singleLine), never raw.
  for (const selected of ['github', 'acme:⏎developers']) {
    const frame = await waitFor(
      lastFrame,
      (f) => new RegExp(`^> +(└ )?${selected}`, 'm').test(f),
      `${selected} selected`,
    );
    const [above, list] = frame.split('CONNECTOR / GROUP');
    assert.doesNotMatch(above!, /U\+2028/);
    assert.match(list!, /└ acme:⏎developers +application_developer, admin:te… 1\n/u);
    assert.doesNotMatch(frame, /\u2028/);
    assert.match(list!, message);
    await press(stdin, 'j', 'j');
  }
});
