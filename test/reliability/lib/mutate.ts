// Mutations of real-world YAML inputs for the fuzz tests: truncations, wrong types, duplicate keys,
// huge values, non-UTF-8 bytes, alias bombs (billion laughs), deep nesting, broken indentation.
// Inputs are bytes: the file store reads raw files, and the domain parsers get what a Secret's
// base64 decodes to (UTF-8 with replacement characters), so both see the same mutation.
import type { Rng } from './rng.js';

export interface Mutated {
  bytes: Buffer;
  /** Names of the mutations applied, for the report of a failing input. */
  ops: string[];
}

const WRONG_VALUES = [
  '[1, 2]',
  '{a: b}',
  '123',
  '-1',
  '0x1F',
  '1e309',
  'true',
  'yes',
  'off',
  'null',
  '~',
  '""',
  "''",
  '!!binary aGk=',
  '!!str',
  '!!map {}',
  '!!seq []',
  '!!int "x"',
  '!custom tag',
  '*nowhere',
  '&anchor',
  '|',
  '>-',
  '[',
  '{',
  '"unterminated',
  '? complex',
  '@reserved',
  '`reserved',
  '%YAML 1.1',
  '.inf',
  '.nan',
  '2001-12-14t21:59:43.10-05:00',
  '<<: {merged: 1}',
  '{<<: [*a]}',
];

const SPECIAL_CHARS = [
  ':',
  '-',
  '[',
  ']',
  '{',
  '}',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  '#',
  ',',
  '?',
  '\t',
  '\r',
  '\u0000',
  '\u001b',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\ud800',
];

const BAD_BYTES = [
  [0xff],
  [0xfe],
  [0xc0, 0x80],
  [0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x00],
  [0x1b, 0x5b, 0x32, 0x4a],
  [0xef, 0xbb, 0xbf],
  [0xc3],
];

/** Billion laughs as one flow value: anchors defined before each use, `width^depth` leaves. */
export function aliasBomb(depth: number, width = 9): string {
  const parts: string[] = [`&l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < depth; i++)
    parts.push(
      `&l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return `[${parts.join(', ')}]`;
}

/** `[[[...]]]` or `{a: {a: ...}}` nested `depth` levels deep, in flow style. */
export function deepFlow(depth: number, map: boolean): string {
  return map ? `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** Block-style nesting: `a:\n  a:\n    a: ...`. */
export function deepBlock(depth: number, indentUnit = 1): string {
  let out = '';
  for (let i = 0; i < depth; i++) out += `${' '.repeat(i * indentUnit)}a:\n`;
  return `${out}${' '.repeat(depth * indentUnit)}leaf: 1\n`;
}

function lines(text: string): string[] {
  return text.split('\n');
}

/** Lines of the form `  key: value` (with a value), by index. */
function valueLines(ls: string[]): number[] {
  const out: number[] = [];
  ls.forEach((l, i) => {
    if (/^\s*(?:- )?[^\s#:][^:]*:\s+\S/.test(l)) out.push(i);
  });
  return out;
}

function replaceValue(line: string, value: string): string {
  const m = /^(\s*(?:- )?[^\s#:][^:]*:\s+)/.exec(line);
  return m ? m[1] + value : line;
}

type Mutator = (text: string, rng: Rng, full: boolean) => string | Buffer;

const MUTATORS: Record<string, Mutator> = {
  truncate: (t, rng) => t.slice(0, rng.int(t.length + 1)),
  deleteLine: (t, rng) => {
    const ls = lines(t);
    ls.splice(rng.int(ls.length), 1);
    return ls.join('\n');
  },
  duplicateLine: (t, rng) => {
    // A repeated `key: value` line is a duplicate key in its mapping.
    const ls = lines(t);
    const vl = valueLines(ls);
    const i = vl.length ? rng.pick(vl) : rng.int(ls.length);
    ls.splice(i + (rng.bool() ? 1 : 0), 0, ls[i]!);
    return ls.join('\n');
  },
  duplicateKeyOtherValue: (t, rng) => {
    const ls = lines(t);
    const vl = valueLines(ls);
    if (!vl.length) return t;
    const i = rng.pick(vl);
    ls.splice(i + 1, 0, replaceValue(ls[i]!, JSON.stringify(rng.string(12))));
    return ls.join('\n');
  },
  swapLines: (t, rng) => {
    const ls = lines(t);
    const a = rng.int(ls.length);
    const b = rng.int(ls.length);
    [ls[a], ls[b]] = [ls[b]!, ls[a]!];
    return ls.join('\n');
  },
  wrongType: (t, rng) => {
    const ls = lines(t);
    const vl = valueLines(ls);
    if (!vl.length) return t;
    const i = rng.pick(vl);
    ls[i] = replaceValue(ls[i]!, rng.pick(WRONG_VALUES));
    return ls.join('\n');
  },
  listToScalar: (t, rng) => {
    // `key:` followed by a block list becomes `key: scalar` (keeping the now-orphaned items).
    const ls = lines(t);
    const heads = ls.flatMap((l, i) => (/^\s*[^\s#:-][^:]*:\s*$/.test(l) ? [i] : []));
    if (!heads.length) return t;
    const i = rng.pick(heads);
    ls[i] = `${ls[i]} ${rng.pick(WRONG_VALUES)}`;
    return ls.join('\n');
  },
  hugeValue: (t, rng, full) => {
    const ls = lines(t);
    const vl = valueLines(ls);
    const size = rng.range(1_000, full ? 2_000_000 : 100_000);
    const huge = rng.bool()
      ? `"${'A'.repeat(size)}"`
      : `[${Array(Math.floor(size / 4))
          .fill('x')
          .join(', ')}]`;
    if (!vl.length) return `${t}\nhuge: ${huge}\n`;
    const i = rng.pick(vl);
    ls[i] = replaceValue(ls[i]!, huge);
    return ls.join('\n');
  },
  manyLines: (t, rng, full) => {
    const n = rng.range(100, full ? 50_000 : 2_000);
    return `${t}\n${Array.from({ length: n }, (_, i) => `k${i}: v${i}`).join('\n')}\n`;
  },
  nonUtf8: (t, rng) => {
    const buf = Buffer.from(t, 'utf8');
    const at = rng.int(buf.length + 1);
    return Buffer.concat([buf.subarray(0, at), Buffer.from(rng.pick(BAD_BYTES)), buf.subarray(at)]);
  },
  specialChar: (t, rng) => {
    const at = rng.int(t.length + 1);
    return t.slice(0, at) + rng.pick(SPECIAL_CHARS) + t.slice(at + (rng.bool() ? 1 : 0));
  },
  aliasBomb: (t, rng) => {
    const ls = lines(t);
    const vl = valueLines(ls);
    const bomb = aliasBomb(rng.range(3, 12), rng.range(2, 10));
    if (!vl.length || rng.bool(0.2)) return `bomb: ${bomb}\n${t}`;
    const i = rng.pick(vl);
    ls[i] = replaceValue(ls[i]!, bomb);
    return ls.join('\n');
  },
  mergeKeyBomb: (t, rng) => {
    // `<<` merge keys chained through anchors: a bomb that YAML 1.1 readers expand.
    const depth = rng.range(3, 20);
    let out = 'b0: &b0 {k0: v}\n';
    for (let i = 1; i < depth; i++)
      out += `b${i}: &b${i} {<<: [${Array(rng.range(2, 6))
        .fill(`*b${i - 1}`)
        .join(', ')}], k${i}: v}\n`;
    return rng.bool() ? out + t : t + '\n' + out;
  },
  deepFlow: (t, rng, full) => {
    const ls = lines(t);
    const vl = valueLines(ls);
    const deep = deepFlow(rng.range(50, full ? 20_000 : 5_000), rng.bool());
    if (!vl.length) return `${t}\ndeep: ${deep}\n`;
    const i = rng.pick(vl);
    ls[i] = replaceValue(ls[i]!, deep);
    return ls.join('\n');
  },
  deepBlock: (t, rng, full) => {
    const deep = deepBlock(rng.range(50, full ? 3_000 : 400), rng.range(1, 2));
    return rng.bool() ? deep + t : `${t}\n${deep}`;
  },
  indent: (t, rng) => {
    const ls = lines(t);
    const i = rng.int(ls.length);
    ls[i] = rng.bool() ? ' '.repeat(rng.range(1, 3)) + ls[i] : ls[i]!.replace(/^ {1,2}/, '');
    return ls.join('\n');
  },
  tabIndent: (t, rng) => {
    const ls = lines(t);
    const i = rng.int(ls.length);
    ls[i] = ls[i]!.replace(/^ +/, '\t');
    return ls.join('\n');
  },
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  bom: (t) => `\ufeff${t}`,
  docMarkers: (t, rng) => (rng.bool() ? `---\n${t}\n---\n${t}` : `${t}\n...\n%TAG ! tag:x,2000:\n---\n`),
  emptyish: (_t, rng) =>
    rng.pick([
      '',
      ' ',
      '\n',
      '---',
      '~',
      'null',
      '[]',
      '{}',
      '"just a string"',
      '- 1\n- 2\n',
      '#only a comment\n',
    ]),
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** 1–3 mutations of `base` (UTF-8 text). */
export function mutate(base: string, rng: Rng, full: boolean): Mutated {
  const ops: string[] = [];
  let cur: string | Buffer = base;
  const n = rng.range(1, 3);
  for (let i = 0; i < n; i++) {
    const name = rng.pick(MUTATOR_NAMES);
    ops.push(name);
    const text: string = typeof cur === 'string' ? cur : cur.toString('latin1');
    // Once bytes were injected, keep working in latin1 so they survive later text mutations.
    const out: string | Buffer = MUTATORS[name]!(text, rng, full);
    cur = typeof cur === 'string' ? out : typeof out === 'string' ? Buffer.from(out, 'latin1') : out;
  }
  return { bytes: typeof cur === 'string' ? Buffer.from(cur, 'utf8') : cur, ops };
}
