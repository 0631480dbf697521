// The two faces on the same input: `validate` (the command) and the TUI (the real app rendered on
// the same manifest file) must report the same problems, including a config.yaml that cannot be
// parsed and a rolesMapping Epinio cannot read. Before the domain workspace the TUI checked the
// mapping against "no connectors" when config.yaml was unreadable, and flagged every entry.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { runCli } from '../../../source/cli.js';
import { CONFIG_KEY, MAPPING_KEY } from '../../../source/domain/names.js';
import { createDemoStore } from '../../../source/store/demo/demo.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import { press, renderApp, waitText } from './helpers.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

afterEach(() => cleanup());

interface Finding {
  code: string;
  message: string;
  path: string;
  source: string;
}

/** A manifest file: the demo's objects with dex-config's keys replaced. */
async function manifestWith(changes: Record<string, string>): Promise<string> {
  const backupDir = await mkdtemp(join(tmpdir(), 'eda-faces-'));
  const demo = await createDemoStore({ backupDir });
  await demo.saveDexConfig({ base: await demo.getDexConfig(), changes });
  return demo.location.file!;
}

async function validate(path: string): Promise<{ errors: Finding[]; warnings: Finding[] }> {
  let out = '';
  const sink = { write: (s: string) => ((out += s), true) };
  await runCli(['validate', '-o', 'json', '--file', path], {
    stdout: sink,
    stderr: { write: () => true },
    stdin: process.stdin,
    env: {},
    programName: 'epinio-dex-admin',
  });
  return JSON.parse(out) as { errors: Finding[]; warnings: Finding[] };
}

const of = (fs: Finding[], source: string) => fs.filter((f) => f.source === source);

test('unparseable config.yaml: the same one error in both faces, and no guess about mapping connectors', async () => {
  const path = await manifestWith({
    [CONFIG_KEY]: 'issuer: https://auth.example.com\nconnectors: [unclosed\n',
  });
  const cli = await validate(path);
  const configErrors = of(cli.errors, CONFIG_KEY);
  assert.equal(configErrors.length, 1);
  assert.match(configErrors[0]!.message, /^config\.yaml is not valid YAML at line \d+/);
  // The connector ids are unknown: neither face claims a mapping entry names no connector.
  assert.deepEqual(
    [...cli.errors, ...cli.warnings].filter((f) => f.code === 'mapping.unknown-connector'),
    [],
  );

  const { lastFrame, stdin } = renderApp(await createFileStore(path, { namespace: 'epinio' }));
  const frame = await waitText(lastFrame, '✗ config.yaml:');
  assert.ok(
    frame.includes(`✗ config.yaml: ${configErrors[0]!.message.slice(0, 60)}`),
    `the TUI shows validate's message:\n${frame}`,
  );
  await press(stdin, '2');
  const mappings = await waitText(lastFrame, 'Epinio semantics');
  assert.doesNotMatch(mappings, /names no connector/);
  // Findings about one entry or group show as that row's count in the TUI; document-wide ones
  // (such as the unknown Epinio version of a file) are not row findings in either face.
  const cliRowFindings = [...of(cli.errors, MAPPING_KEY), ...of(cli.warnings, MAPPING_KEY)].filter((f) =>
    f.path.startsWith('rolesMapping['),
  ).length;
  const tuiRowsWithFindings = mappings.split('\n').filter((l) => /\d+ (warn|error)/.test(l)).length;
  assert.equal(tuiRowsWithFindings > 0, cliRowFindings > 0, mappings);
});

test('rolesMapping Epinio cannot read: the same fatal message in both faces', async () => {
  const path = await manifestWith({
    [MAPPING_KEY]: '- connectorId: ldap\n  groups:\n    - id: admins\n      roles: admin\n',
  });
  const cli = await validate(path);
  const fatal = of(cli.errors, MAPPING_KEY);
  assert.equal(fatal.length, 1, JSON.stringify(cli.errors));
  assert.equal(fatal[0]!.code, 'mapping.scalar-roles');

  const { lastFrame, stdin } = renderApp(await createFileStore(path, { namespace: 'epinio' }));
  await waitText(lastFrame, 'Corporate LDAP');
  await press(stdin, '2');
  const frame = await waitText(lastFrame, '✗ ');
  const shown = frame.split('\n').filter((l) => l.includes('✗ '));
  assert.equal(shown.length, 1, `one fatal line, as validate reports one:\n${frame}`);
  assert.ok(shown[0]!.includes(fatal[0]!.message.slice(0, 60)), frame);
});
