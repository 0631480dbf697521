// The two faces on the same edit: the real app (keys on a demo file store) and the edit command
// (on another copy of the same demo manifest) must save byte-identical config.yaml and rolesMapping
// texts: both stage the same DexEdit/MappingEdit on the same workspace and save with one flow.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { parse as parseYaml } from 'yaml';
import { CONFIG_KEY, MAPPING_KEY } from '../../../source/domain/names.js';
import { createDemoStore } from '../../../source/store/demo/demo.js';
import type { Store } from '../../../source/store/types.js';
import { run } from '../cli/harness.js';
import { KEY, press, renderApp, spiedDemoStore, type, waitFor, waitText, writes } from './helpers.js';

afterEach(() => cleanup());

const CTRL_U = '\x15';

/** The command on a fresh copy of the demo manifest; returns the saved texts. */
async function viaCommand(argv: string[]): Promise<Record<string, string | undefined>> {
  const demo = await createDemoStore({ backupDir: await mkdtemp(join(tmpdir(), 'eda-faces-edit-')) });
  const r = await run([...argv, '--file', demo.location.file!]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\nsaved /);
  return texts(demo);
}

async function texts(store: Store): Promise<Record<string, string | undefined>> {
  const { data } = await store.getDexConfig();
  return { [CONFIG_KEY]: data[CONFIG_KEY], [MAPPING_KEY]: data[MAPPING_KEY] };
}

async function saveInUi(
  lastFrame: () => string | undefined,
  stdin: { write(s: string): void },
  restart: boolean,
  unsaved = 1,
) {
  await waitText(lastFrame, `unsaved changes (${unsaved})`);
  await press(stdin, 'w');
  await waitText(lastFrame, 'Save dex-config (');
  await press(stdin, KEY.tab, KEY.enter);
  if (restart) {
    await waitText(lastFrame, 'Restart Dex now?');
    await press(stdin, KEY.enter); // Later
  }
  await waitFor(lastFrame, (f) => !/unsaved changes/.test(f), 'saved');
}

test('remove a Dex local user: the UI and `dex-users remove` save the same config.yaml', async () => {
  const { store, calls } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '4');
  await waitText(lastFrame, 'admin@epinio.io');
  await press(stdin, 'd');
  await waitText(lastFrame, 'Remove Dex local user admin@epinio.io?');
  await press(stdin, KEY.tab, KEY.enter);
  await saveInUi(lastFrame, stdin, true);
  assert.equal(writes(calls).length, 1);
  const ui = await texts(store);
  assert.ok(!ui[CONFIG_KEY]!.includes('admin@epinio.io'));
  assert.deepEqual(await viaCommand(['dex-users', 'remove', 'admin@epinio.io']), ui);
});

test('delete a connector and its mapping entries: the UI and `connectors delete --remove-mappings` agree byte for byte', async () => {
  const { store } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, 'd');
  await waitText(lastFrame, 'Delete connector github?');
  await press(stdin, KEY.tab, KEY.enter); // "Delete and remove … mapping entries"
  await saveInUi(lastFrame, stdin, true, 2);
  const ui = await texts(store);
  assert.doesNotMatch(ui[MAPPING_KEY]!, /connectorId: "?github/);
  assert.deepEqual(await viaCommand(['connectors', 'delete', 'github', '--remove-mappings']), ui);
});

test("a group's roles: the UI's group form and `mappings set-roles` save the same rolesMapping", async () => {
  const { store } = await spiedDemoStore();
  const before = await texts(store);
  const { lastFrame, stdin } = renderApp(store);
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '2');
  await waitText(lastFrame, 'acme:platform-admins');
  await press(stdin, KEY.down, 'e');
  await waitText(lastFrame, 'Edit group for github');
  await press(stdin, KEY.tab, CTRL_U);
  await type(stdin, 'view_only, admin:team-red');
  await press(stdin, KEY.enter);
  await saveInUi(lastFrame, stdin, false);
  const ui = await texts(store);
  assert.equal(ui[CONFIG_KEY], before[CONFIG_KEY]);
  // The group the form edited: the one whose roles are now the typed ones.
  const entries = parseYaml(ui[MAPPING_KEY]!) as {
    connectorId: string;
    groups: { id: string; roles: string[] }[];
  }[];
  const group = entries
    .find((e) => e.connectorId === 'github')!
    .groups.find((g) => g.roles.join(',') === 'view_only,admin:team-red');
  assert.ok(group, ui[MAPPING_KEY]);
  assert.deepEqual(
    await viaCommand(['mappings', 'set-roles', 'github', group.id, '--roles', 'view_only, admin:team-red']),
    ui,
  );
});
