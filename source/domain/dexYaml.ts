// Low-level YAML helpers shared by the Dex config document, its edits and its validation.
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';

/** Words YAML 1.1 (what Dex's yaml.v2 uses) reads as booleans or null when unquoted. */
export const YAML11_SPECIAL = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~']);

const SAFE_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyNode(key: string): Scalar {
  const node = new Scalar(key);
  if (!SAFE_KEY.test(key) || YAML11_SPECIAL.has(key.toLowerCase())) node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

/**
 * Turns a plain value into YAML nodes. Every string is double-quoted so that YAML 1.1 never
 * reads `on`, `no` or `0123` as a boolean or a number; lists of scalars are written in flow
 * style (`["a", "b"]`), mappings in block style.
 */
export function toNode(value: unknown): Node {
  if (typeof value === 'string') {
    const node = new Scalar(value);
    node.type = Scalar.QUOTE_DOUBLE;
    return node;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write the number ${value}`);
    return new Scalar(value);
  }
  if (value === null || typeof value === 'boolean') return new Scalar(value);
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(toNode(item));
    seq.flow = value.every((v) => v === null || typeof v !== 'object');
    return seq;
  }
  if (isPlainObject(value)) {
    const map = new YAMLMap();
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) map.items.push(new Pair(keyNode(k), toNode(v)));
    }
    return map;
  }
  throw new TypeError(`cannot write a value of type ${typeof value}`);
}

/** The key Go's encoding/json decodes into field `key`: the exact key, else the last one that
 *  matches without case (Dex reads `Type:` and `enablePasswordDb:` as type and enablePasswordDB). */
export function goKey(obj: Record<string, unknown>, key: string): string | undefined {
  if (Object.hasOwn(obj, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(obj)
    .filter((k) => k.toLowerCase() === lower)
    .pop();
}

export function goField(obj: Record<string, unknown>, key: string): unknown {
  const k = goKey(obj, key);
  return k === undefined ? undefined : obj[k];
}

export function newPair(key: string, value: unknown): Pair {
  return new Pair(keyNode(key), toNode(value));
}

export function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

/** The pair with exactly this key, else the last one matching case-insensitively (Dex's JSON decoding). */
export function findPair(map: YAMLMap, key: string, caseInsensitive: boolean): Pair | undefined {
  const pairs = map.items as Pair[];
  const exact = pairs.filter((p) => keyOf(p) === key);
  if (exact.length) return exact[exact.length - 1];
  if (!caseInsensitive) return undefined;
  const lower = key.toLowerCase();
  const loose = pairs.filter(
    (p) => typeof keyOf(p) === 'string' && (keyOf(p) as string).toLowerCase() === lower,
  );
  return loose[loose.length - 1];
}

/** Sets `node` to `value`, reusing a scalar node so its trailing comment survives. */
export function replaceValue(pair: Pair, value: unknown): void {
  const old = pair.value;
  const next = toNode(value);
  if (isScalar(old) && isScalar(next)) {
    old.value = next.value;
    old.type = next.type;
    // An explicit tag (!!binary, !!int...) described the old value; kept, it would misread the new
    // one or crash the printer (found by the fuzzer).
    old.tag = undefined;
    delete old.format;
    delete old.minFractionDigits;
    return;
  }
  if (old && (isScalar(old) || isMap(old) || isSeq(old))) {
    next.comment = old.comment;
    next.commentBefore = old.commentBefore;
    next.spaceBefore = old.spaceBefore;
  }
  pair.value = next;
}

/** Indentation style of the operator's text, so inserted lines look like their neighbours. */
export interface TextStyle {
  indent: number;
  indentSeq: boolean;
  flowCollectionPadding: boolean;
}

export function detectStyle(text: string): TextStyle {
  const lines = text.split(/\r?\n/);
  let indent = 2;
  let indentSeq = false;
  let sawIndent = false;
  let sawSeq = false;
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = /^( *)[^\s#-][^#]*:\s*(#.*)?$/.exec(lines[i]);
    if (!m) continue;
    const next = lines[i + 1];
    const n = /^( *)(- )?\S/.exec(next);
    if (!n) continue;
    const diff = n[1].length - m[1].length;
    if (n[2]) {
      if (!sawSeq) indentSeq = diff > 0;
      sawSeq = true;
    } else if (diff > 0 && !sawIndent) {
      indent = diff;
      sawIndent = true;
    }
    if (sawSeq && sawIndent) break;
  }
  return { indent, indentSeq, flowCollectionPadding: /\[ [^\]\s]/.test(text) };
}

export function printDocument(doc: Document, style: TextStyle): string {
  return doc.toString({ lineWidth: 0, ...style });
}
