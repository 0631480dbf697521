import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DexConfigDocument, DexEditError, type DexEdit } from '../../../source/domain/dexConfig.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/dex/${name}.yaml`, import.meta.url), 'utf8');
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const comment = fc.stringMatching(/^[a-z0-9 ]{1,12}$/).map((s) => `# c-${s.trim() || 'x'}`);
const scalar = fc.oneof(
  word,
  word.map((w) => `"${w}"`),
  word.map((w) => `'${w}'`),
  fc.constantFrom('true', 'yes', '0123', 'on'),
);

/** A config.yaml with comments, blank lines, flow and block connector entries. */
const configText = fc
  .record({
    top: fc.array(fc.tuple(word, scalar, fc.option(comment, { nil: undefined })), { maxLength: 4 }),
    connectors: fc.uniqueArray(
      fc.record({
        id: word,
        flow: fc.boolean(),
        fields: fc.array(fc.tuple(word, scalar), { maxLength: 3 }),
        note: fc.option(comment, { nil: undefined }),
        blank: fc.boolean(),
      }),
      { selector: (c) => c.id, maxLength: 4 },
    ),
  })
  .map(({ top, connectors }) => {
    const lines = ['issuer: https://auth.example.com   # the issuer', 'enablePasswordDB: true'];
    const seen = new Set(['issuer', 'enablePasswordDB', 'connectors']);
    for (const [k, v, c] of top) {
      if (seen.has(k)) continue;
      seen.add(k);
      lines.push(`${k}: ${v}${c ? `  ${c}` : ''}`);
    }
    lines.push('connectors:');
    for (const c of connectors) {
      if (c.blank) lines.push('');
      if (c.note) lines.push(c.note);
      const fields = [...new Map(c.fields).entries()];
      if (c.flow)
        lines.push(
          `- { type: github, id: ${c.id}, name: N, config: { ${fields.map(([k, v]) => `${k}: ${v}`).join(', ')} } }`,
        );
      else {
        lines.push(`- type: github`, `  id: ${c.id}`, `  name: "N"`, `  config:`);
        for (const [k, v] of fields) lines.push(`    ${k}: ${v}   # about ${k}`);
        if (!fields.length) lines[lines.length - 1] += ' {}';
      }
    }
    return `${lines.join('\n')}\n`;
  });

const comments = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.includes('#'))
    .map((l) => l.slice(l.indexOf('#')));

describe('config.yaml properties', () => {
  it('parse then serialize is the identity on the reference examples and generated documents', () => {
    for (const name of ['chart-default', 'github-ldap'])
      assert.equal(DexConfigDocument.parse(fixture(name)).toString(), fixture(name));
    fc.assert(
      fc.property(configText, (text) => DexConfigDocument.parse(text).toString() === text),
      { numRuns: 200 },
    );
  });

  const edit: fc.Arbitrary<(ids: string[]) => DexEdit> = fc.oneof(
    fc.tuple(word, word).map(([id, v]) => (): DexEdit => ({
      op: 'connector.add',
      connector: { type: 'oidc', id: `n-${id}`, name: v, config: { issuer: v } },
    })),
    fc.tuple(fc.nat(), word, scalar).map(([i, k, v]) => (ids: string[]): DexEdit => ({
      op: 'connector.set',
      id: ids[i % Math.max(ids.length, 1)] ?? 'none',
      path: ['config', k],
      value: v,
    })),
    fc.nat().map((i) => (ids: string[]): DexEdit => ({
      op: 'connector.remove',
      id: ids[i % Math.max(ids.length, 1)] ?? 'none',
    })),
    fc.tuple(fc.nat(), fc.nat()).map(([i, to]) => (ids: string[]): DexEdit => ({
      op: 'connector.move',
      id: ids[i % Math.max(ids.length, 1)] ?? 'none',
      to: to % Math.max(ids.length, 1),
    })),
    fc.tuple(fc.nat(), word).map(([i, to]) => (ids: string[]): DexEdit => ({
      op: 'connector.rename',
      from: ids[i % Math.max(ids.length, 1)] ?? 'none',
      to: `r-${to}`,
    })),
  );

  it('random edit sequences keep the document parseable, applied, and keep untouched comments', () => {
    fc.assert(
      fc.property(configText, fc.array(edit, { maxLength: 6 }), (text, makers) => {
        const doc = DexConfigDocument.parse(text);
        const removed = new Set<string>();
        for (const make of makers) {
          const e = make(doc.connectors().map((c) => c.id));
          const before = doc.toString();
          try {
            doc.apply(e);
          } catch (err) {
            assert.ok(err instanceof DexEditError, String(err));
            assert.equal(doc.toString(), before);
            continue;
          }
          if (e.op === 'connector.remove')
            for (const line of before.split('\n'))
              if (line.includes('#') && !doc.toString().includes(line))
                removed.add(line.slice(line.indexOf('#')));
          if (e.op === 'connector.set' && e.path[0] === 'config')
            assert.equal(
              doc.connector(e.id)?.config[e.path[1] as string] ??
                doc.connector(e.id)?.config[
                  Object.keys(doc.connector(e.id)!.config).find(
                    (k) => k.toLowerCase() === String(e.path[1]).toLowerCase(),
                  )!
                ],
              e.value,
            );
          if (e.op === 'connector.rename') assert.ok(doc.connector(e.to));
          const reparsed = DexConfigDocument.parse(doc.toString());
          assert.deepEqual(reparsed.connectors(), doc.connectors());
        }
        const after = doc.toString();
        for (const c of comments(text)) {
          if (removed.has(c)) continue;
          assert.ok(after.includes(c), `comment ${c} lost`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
