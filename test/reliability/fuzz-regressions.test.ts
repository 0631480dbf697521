// Inputs the fuzzer found, kept as fixed regression tests (they run in well under a second each).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DexConfigDocument, DexConfigParseError, DexEditError } from '../../source/domain/dexConfig.js';

describe('fuzz regressions', () => {
  it('config.yaml nested deeper than the printer can recurse: apply() refuses with DexEditError, no RangeError', () => {
    // Found as [wrongType+deepFlow]: the parser accepted ~1,100-1,750 nested flow sequences, the
    // printer behind apply() overflowed the stack (RangeError: a crash instead of a typed error).
    let parsed = 0;
    let refused = 0;
    for (let depth = 1000; depth <= 2000; depth += 50) {
      const deep = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
      const text = `issuer: https://x\nstorage: {type: memory}\nextra: ${deep}\nconnectors:\n- {type: github, id: gh, name: GH}\n`;
      let doc: DexConfigDocument;
      try {
        doc = DexConfigDocument.parse(text);
      } catch (err) {
        assert.ok(err instanceof DexConfigParseError, `depth ${depth}: parse threw ${String(err)}`);
        continue;
      }
      parsed++;
      try {
        doc.apply({ op: 'passwordDB.set', enabled: true });
      } catch (err) {
        assert.ok(
          err instanceof DexEditError,
          `depth ${depth}: apply threw ${(err as Error).constructor.name}: ${(err as Error).message}`,
        );
        refused++;
        assert.equal(doc.toString(), text, 'a refused edit changed the document');
      }
    }
    console.log(
      `fuzz regressions: deep nesting, ${parsed} depths parsed, ${refused} edits refused with DexEditError`,
    );
  });
});

describe('backup files cut short', () => {
  it('a truncated backup is a typed FileError on read, not a SyntaxError', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { Backups } = await import('../../source/store/backups.js');
    const { StoreError } = await import('../../source/store/errors.js');
    const dir = mkdtempSync(join(tmpdir(), 'eda-backup-cut-'));
    const b = new Backups('target x', 'loc', dir);
    const info = await b.write({
      name: 'dex-config',
      namespace: 'n',
      resourceVersion: '1',
      type: 'Opaque',
      labels: {},
      annotations: {},
      data: { a: 'b' },
    });
    // What a full disk leaves when the write stops midway.
    writeFileSync(join(dir, `${info.id}.json`), '{"version": 1, "takenAt": "2024');
    await assert.rejects(
      b.read(info.id),
      (err: unknown) => err instanceof StoreError && err.kind === 'FileError',
    );
  });
});

describe('rolesMapping conversion with duplicate keys', () => {
  it('fix.convertToModern converges when a group repeats role: or roles: (found by fuzzing)', async () => {
    const { RolesMappingDocument } = await import('../../source/domain/rolesMapping.js');
    const inputs = [
      // [duplicateKeyOtherValue+crlf+hugeValue]: a scalar `roles:` then a list, fatal before and after.
      '- connectorId: github\n  groups:\n    - id: "acme:developers"\n      roles: admin\n      roles: [x, y]\n',
      // [wrongType+duplicateKeyOtherValue]: two `role:` keys next to `roles:`, still mixed after.
      '- connectorId: github\n  groups:\n  - id: "a"\n    roles: ["admin"]\n  - id: 0x1F\n    role: user\n    role: "bykx"\n',
      '- connectorId: github\n  groups:\n  - id: "acme:platform-admins"\n    role: admin\n    role: admin\n',
    ];
    for (const text of inputs) {
      const doc = RolesMappingDocument.parse(text);
      doc.apply({ op: 'fix.convertToModern' });
      const after = RolesMappingDocument.parse(doc.toString());
      assert.deepEqual(after.fatal, [], doc.toString());
      assert.equal(after.format, 'modern', doc.toString());
    }
  });
});

describe('rolesMapping with a tagged groups list', () => {
  // Found by fuzzing ([listToScalar], seed 628722051): `groups: !!str` over a block list parses as
  // a legacy mapping (yaml.v2 ignores the tag), and fix.convertToModern used to write
  // `groups: !!str\n    undefined`, which is fatal ("rolesMapping[0].groups is not a list").
  it('fix.convertToModern on `groups: !!str` + a list never writes a fatal document', async () => {
    const { RolesMappingDocument } = await import('../../source/domain/rolesMapping.js');
    const text =
      '- connectorId: github\n  groups: !!str\n  - id: "acme:platform-admins"\n    role: admin\n  - id: "acme:developers"\n    role: user\n';
    const doc = RolesMappingDocument.parse(text);
    if (doc.fatal.length) return; // declaring it fatal up front is a valid fix too
    doc.apply({ op: 'fix.convertToModern' });
    const out = doc.toString();
    assert.doesNotMatch(out, /undefined/, out);
    assert.deepEqual(RolesMappingDocument.parse(out).fatal, [], out);
  });
});
