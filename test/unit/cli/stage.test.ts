// The shared write flow of the edit commands (commands/stage.ts): the save is made against the
// Secret the edits were staged on, so another writer's change of the same key between loading and
// saving is a conflict (exit 5) and nothing of ours is written; a change of the other key is kept.
// A legacy map-form mapping is converted only when the operator names its connector.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../../../source/cliOptions.js';
import type { CommandContext } from '../../../source/commands/context.js';
import { exitCodeOf } from '../../../source/commands/exitCodes.js';
import { findCommand } from '../../../source/commands/specs.js';
import { stageAndSave } from '../../../source/commands/stage.js';
import { CONFIG_KEY, MAPPING_KEY } from '../../../source/domain/names.js';
import { deriveWorkspace } from '../../../source/domain/workspace.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import { fixtureCopy, run } from './harness.js';

/** A command context for `argv` on the manifest, and the snapshot it loaded (before anyone else writes). */
async function loadedContext(argv: string[], file: string) {
  const parsed = parseCommandLine(argv, (p) => findCommand(p)?.flags ?? []);
  const spec = findCommand(parsed.positionals)!;
  const store = await createFileStore(file, { namespace: 'epinio' });
  const snapshot = await store.loadSnapshot();
  let out = '';
  const ctx: CommandContext = {
    spec,
    options: parsed.options,
    flags: parsed.flags,
    args: parsed.positionals.slice(spec.path.length),
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: () => true },
      stdin: process.stdin,
      env: {},
      programName: 'epinio-dex-admin',
    },
    openStore: () => Promise.resolve(store),
  };
  return { ctx, loaded: { snapshot, ws: deriveWorkspace(snapshot) }, output: () => out };
}

async function otherWriter(file: string, key: string, edit: (text: string) => string) {
  const store = await createFileStore(file, { namespace: 'epinio' });
  const base = await store.getDexConfig();
  await store.saveDexConfig({ base, changes: { [key]: edit(base.data[key] ?? '') } });
}

describe('stageAndSave', () => {
  it('another writer changed config.yaml meanwhile: conflict, exit 5, only their change is in the file', async () => {
    const file = fixtureCopy();
    const { ctx, loaded } = await loadedContext(['connectors', 'delete', 'ldap'], file);
    await otherWriter(file, CONFIG_KEY, (t) => t.replace('name: "GitHub"', 'name: "GitHub (theirs)"'));
    const theirs = readFileSync(file, 'utf8');
    const err = await stageAndSave(
      ctx,
      loaded,
      { dex: [{ op: 'connector.remove', id: 'ldap' }], mapping: [] },
      'delete connector ldap',
    ).then(
      () => assert.fail('saved over a newer config.yaml'),
      (e: unknown) => e,
    );
    assert.equal(exitCodeOf(err), 5);
    assert.equal(readFileSync(file, 'utf8'), theirs);
  });

  it('another writer changed only rolesMapping: our config.yaml edit is saved on top, theirs kept', async () => {
    const file = fixtureCopy();
    const { ctx, loaded, output } = await loadedContext(['connectors', 'delete', 'ldap'], file);
    await otherWriter(file, MAPPING_KEY, (t) => `${t}# theirs\n`);
    const code = await stageAndSave(
      ctx,
      loaded,
      { dex: [{ op: 'connector.remove', id: 'ldap' }], mapping: [] },
      'delete connector ldap',
    );
    assert.equal(code, 0);
    assert.match(output(), /someone else changed rolesMapping meanwhile; their change was kept/);
    const now = await (await createFileStore(file, { namespace: 'epinio' })).getDexConfig();
    assert.ok(now.data[MAPPING_KEY]!.endsWith('# theirs\n'));
    assert.doesNotMatch(now.data[CONFIG_KEY]!, /id: ldap/);
  });
});

describe('mappings convert', () => {
  it('the map form needs --connector (exit 2, the domain words, nothing written), then converts', async () => {
    const file = fixtureCopy();
    const mapForm = readFileSync(new URL('../../fixtures/mapping/map-form.yaml', import.meta.url), 'utf8');
    await otherWriter(file, MAPPING_KEY, () => mapForm);
    const before = readFileSync(file, 'utf8');
    assert.deepEqual(await run(['mappings', 'convert', '--file', file]), {
      code: 2,
      stdout: '',
      stderr:
        "error: cannot convert rolesMapping to the modern format: the map form of rolesMapping names no connector; choose the connector id its groups come from, then convert; nothing was written\nhint: run 'epinio-dex-admin mappings convert --help' for usage\n",
    });
    assert.equal(readFileSync(file, 'utf8'), before);
    const r = await run(['mappings', 'convert', '--connector', 'github', '--file', file]);
    assert.equal(r.code, 0, r.stderr);
    const listed = JSON.parse((await run(['mappings', 'list', '-o', 'json', '--file', file])).stdout) as {
      format: string;
      entries: { connectorId: string }[];
    };
    assert.equal(listed.format, 'modern');
    assert.deepEqual(
      listed.entries.map((e) => e.connectorId),
      ['github'],
    );
  });
});

describe('--secret-stdin', () => {
  it('refuses a terminal (it would echo the secret) before anything is read or written', async () => {
    const file = fixtureCopy();
    const before = readFileSync(file, 'utf8');
    assert.deepEqual(
      await run(['connectors', 'set', 'ldap', '--secret-stdin', 'bindPW', '--file', file], {
        stdinTTY: true,
      }),
      {
        code: 2,
        stdout: '',
        stderr:
          'error: --secret-stdin bindPW reads a pipe or a file, not a terminal; nothing was written\nhint: epinio-dex-admin connectors set … --secret-stdin bindPW < secret.txt\n',
      },
    );
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
