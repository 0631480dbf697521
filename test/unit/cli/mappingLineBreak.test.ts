// rolesMapping with NEL, LS or PS (mapping.line-break, an error: Epinio's yaml.v2 reads them as
// line breaks, this tool's reader does not): the `mappings` commands refuse to write one without
// --force (exit 1, the exact message, the file byte-identical), and `validate` names its line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MAPPING_KEY } from '../../../source/domain/names.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import { fixtureCopy, run } from './harness.js';

const message = (code: string, line: number) =>
  `rolesMapping contains ${code} at line ${line}, which Epinio's YAML reader takes for a line break (this tool's reader does not), even in a comment, so Epinio can read another mapping than the tool shows (when that is not valid YAML, every OIDC (Bearer) request fails with 500 'error getting OIDC provider'). Replace it with a plain space or a newline.`;

interface Validated {
  errors: { code: string; path: string; message: string; source: string }[];
}

async function lineBreakErrors(file: string) {
  const r = await run(['validate', '--file', file, '-o', 'json']);
  return {
    code: r.code,
    errors: (JSON.parse(r.stdout) as Validated).errors.filter((e) => e.code === 'mapping.line-break'),
  };
}

describe('rolesMapping with NEL, LS or PS (mapping.line-break)', () => {
  it('a group id holding LS or PS: mappings add-group exits 1 with the exact message and writes nothing; --force saves it', async () => {
    for (const [ch, code] of [
      ['\u2028', 'U+2028'],
      ['\u2029', 'U+2029'],
    ] as const) {
      const file = fixtureCopy();
      const before = readFileSync(file, 'utf8');
      const argv = ['mappings', 'add-group', 'github', `acme${ch}x`, '--roles', 'admin', '--file', file];
      assert.deepEqual(await run(argv), {
        code: 1,
        stdout: '',
        stderr: `error: map group acme${ch}x of github to admin would add 1 error: ${message(code, 9)}; nothing was written\nhint: review it with --dry-run; --force saves it anyway\n`,
      });
      assert.equal(readFileSync(file, 'utf8'), before);
      assert.deepEqual(await lineBreakErrors(file), { code: 0, errors: [] });

      const forced = await run([...argv, '--force']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.deepEqual(await lineBreakErrors(file), {
        code: 1,
        errors: [
          {
            code: 'mapping.line-break',
            path: 'rolesMapping[0].groups[2].id',
            message: message(code, 9),
            source: 'rolesMapping',
          },
        ],
      });
    }
  });

  it('a group id holding NEL is refused as input already (a C1 control character): exit 2, nothing written', async () => {
    const file = fixtureCopy();
    const before = readFileSync(file, 'utf8');
    assert.deepEqual(
      await run(['mappings', 'add-group', 'github', 'acme\u0085x', '--roles', 'admin', '--file', file]),
      {
        code: 2,
        stdout: '',
        stderr:
          // The echo of the id is stripped of the control character, as every message is.
          'error: invalid group id "acmex": no leading or trailing spaces or control characters (Epinio compares group names exactly); nothing was written\nhint: run \'epinio-dex-admin mappings add-group --help\' for usage\n',
      },
    );
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('one already in a comment (written by another tool): validate exits 1 with its line and the entry it sits in', async () => {
    const file = fixtureCopy();
    const store = await createFileStore(file, { namespace: 'epinio' });
    const base = await store.getDexConfig();
    const mapping = base.data[MAPPING_KEY]!;
    assert.ok(mapping.includes('# platform team'));
    await store.saveDexConfig({
      base,
      changes: { [MAPPING_KEY]: mapping.replace('# platform team', '# platform\u0085team') },
    });
    assert.deepEqual(await lineBreakErrors(file), {
      code: 1,
      errors: [
        {
          code: 'mapping.line-break',
          path: 'rolesMapping[0]',
          message: message('U+0085', 4),
          source: 'rolesMapping',
        },
      ],
    });
  });
});
