// `apply -f`: a desired document without a single comment (generated, or written without any)
// keeps the operator's comments of the cluster copy. The cluster copy's nodes are brought to the
// desired values in place (unchanged values keep their node, their comment and their formatting),
// and only that change is carried over to the cluster text (dexTextMerge.ts, as an edit is). When
// the result does not read back as exactly the desired values, the desired text is used as it is:
// the values always win over the comments.
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { mergeEdit } from './dexTextMerge.js';
import { detectStyle, isPlainObject, keyOf, newPair, printDocument, toNode } from './dexYaml.js';
import { hasComments } from './secretRefs.js';

const parse = (text: string): Document => parseDocument(text, { version: '1.1', uniqueKeys: false });

function carry(from: Node, to: Node): Node {
  to.commentBefore = from.commentBefore;
  to.comment = from.comment;
  to.spaceBefore = from.spaceBefore;
  return to;
}

const ID_KEYS = ['id', 'email', 'connectorId'];

/** The key that names every item on both sides, unique on each, if there is one. */
function identity(items: unknown[], values: unknown[]): string | undefined {
  return ID_KEYS.find((k) => {
    const mine = items.map((item) => (isMap(item) ? item.get(k) : undefined));
    const theirs = values.map((v) => (isPlainObject(v) ? v[k] : undefined));
    const named = (xs: unknown[]) =>
      xs.length > 0 && xs.every((x) => typeof x === 'string') && new Set(xs).size === xs.length;
    return named(mine) && named(theirs);
  });
}

/** `node` brought to `value`: the same node where the value is unchanged. */
function sync(node: unknown, value: unknown): Node {
  if (isMap(node) && isPlainObject(value)) {
    const seen = new Set<string>();
    node.items = (node.items as Pair[]).filter((p) => {
      const k = keyOf(p);
      return typeof k === 'string' && Object.hasOwn(value, k) && !seen.has(k) && seen.add(k) !== undefined;
    });
    for (const pair of node.items as Pair[]) pair.value = sync(pair.value, value[keyOf(pair) as string]);
    for (const [k, v] of Object.entries(value)) if (!seen.has(k)) node.items.push(newPair(k, v));
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    const key = identity(node.items, value);
    if (key) {
      // Items that name themselves (connectors by id, entries by connectorId ...) keep their own
      // comments when they move; by position, a comment would end up on another connector.
      const free = [...node.items];
      node.items = value.map((v) => {
        const at = free.findIndex(
          (item) => isMap(item) && item.get(key) === (v as Record<string, unknown>)[key],
        );
        return at < 0 ? toNode(v) : sync(free.splice(at, 1)[0], v);
      });
      return node;
    }
    node.items = node.items.slice(0, value.length).map((item, i) => sync(item, value[i]));
    for (let i = node.items.length; i < value.length; i++) node.items.push(toNode(value[i]));
    return node;
  }
  if (isScalar(node) && isDeepStrictEqual(node.toJSON(), value)) return node;
  const next = toNode(value);
  return node && (isScalar(node) || isMap(node) || isSeq(node)) ? carry(node, next) : next;
}

/** The text to write for `desired` over `current` (both config.yaml, or both rolesMapping). */
export function keepClusterComments(current: string, desired: string): string {
  if (!current.trim() || !hasComments(current) || hasComments(desired)) return desired;
  const want = parse(desired);
  const base = parse(current);
  if (want.errors.length || base.errors.length) return desired;
  try {
    const target = want.toJS() as unknown;
    const edited = parse(current);
    edited.contents = sync(edited.contents, target) as typeof edited.contents;
    const style = detectStyle(current);
    const merged = mergeEdit(printDocument(base, style), current, printDocument(edited, style));
    const check = parse(merged);
    return !check.errors.length && isDeepStrictEqual(check.toJS(), target) ? merged : desired;
  } catch {
    return desired; // an alias or a shape the printer refuses: the desired text as written
  }
}
