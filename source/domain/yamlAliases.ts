// YAML anchors and aliases (`&cfg` ... `*cfg`) under edits. An edit through an alias would change
// every place that shares the anchored node, and removing or moving the anchored node leaves the
// alias dangling (the yaml package then throws while printing). Both were found by the fuzzer.
// Expanding every alias fixes both but rewrites places the edit never touched (an unrelated
// connector then shows `bindPW: *** (changed)` in the diff), so an edit expands only around the
// nodes it touches (expandAliasesAround); the callers check that this means the same as expanding
// everything and fall back to that when it does not.
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair } from 'yaml';
import { showInvisible } from './sanitize.js';

/** Thrown when expanding would copy more nodes than the budget (an alias bomb). */
export class AliasExpansionError extends Error {}

/** The yaml printer refuses some anchor names its parser accepts (a space-like character such as
 *  U+FEFF inside the name; found by the fuzzer), so an edit of such a document cannot be written
 *  back. Returns the printer's words for that case (invisible characters written out), undefined for
 *  any other error. */
export function unprintableAnchor(err: unknown): string | undefined {
  const words = /^Anchor must not contain whitespace or control characters/;
  return err instanceof Error && words.test(err.message) ? showInvisible(err.message) : undefined;
}

/** Keys and indexes from the document root to a node. */
export type NodePath = readonly (string | number)[];

class Budget {
  private left: number;
  constructor(private readonly max: number) {
    this.left = max;
  }

  /** A copy of `target` without anchors (its nested aliases are still aliases). */
  copy(target: Node): Node {
    const copy = target.clone() as Node;
    visit(copy, {
      Node: (_, node) => {
        node.anchor = undefined;
        if (--this.left < 0) {
          throw new AliasExpansionError(
            `its aliases expand to more than ${this.max} nodes; edit it in the editor instead`,
          );
        }
      },
    });
    return copy;
  }
}

/** Expands the aliases under `root` (a document or a node) for which `wanted` says yes. */
function expandIn(doc: Document, root: Document | Node, budget: Budget, wanted: (target: Node) => boolean) {
  visit(root, {
    Alias(_, alias) {
      const target = alias.resolve(doc);
      if (!target || isAlias(target) || !wanted(target)) return undefined;
      // visit() continues into the copy, so aliases nested in it are expanded too.
      return budget.copy(target);
    },
  });
}

/**
 * Replaces every alias by a copy of the node it names (without the anchor), so the document means
 * exactly what it meant and each edit changes one place only. A document without aliases is left
 * as it is. Dangling aliases are left alone: the parsers report them. `maxNodes` bounds the copies.
 */
export function expandAliases(doc: Document, maxNodes = 20_000): void {
  expandIn(doc, doc, new Budget(maxNodes), () => true);
}

function child(parent: unknown, key: string | number): { node: unknown; set: (n: Node) => void } | undefined {
  if (isSeq(parent) && typeof key === 'number' && key >= 0 && key < parent.items.length)
    return { node: parent.items[key], set: (n) => (parent.items[key] = n) };
  if (isMap(parent) && typeof key === 'string') {
    // The last pair with the key, as yaml.v2 and the edits read duplicate keys.
    const pair = [...(parent.items as Pair[])].reverse().find((p) => isScalar(p.key) && p.key.value === key);
    if (pair) return { node: pair.value, set: (n) => (pair.value = n) };
  }
  return undefined;
}

/**
 * Expands only what an edit of the nodes at `paths` needs: aliases on the way to them and inside
 * them (the edit goes through them; a moved node's aliases could end up above their anchors), and
 * anywhere else the aliases that name one of those nodes, a node inside them or one containing
 * them (the edit, a removal or a move would change or break what those aliases mean). Everything
 * else keeps its aliases. A path that does not lead anywhere expands nothing for it.
 */
export function expandAliasesAround(doc: Document, paths: readonly NodePath[], maxNodes = 20_000): void {
  const budget = new Budget(maxNodes);
  const touched = new Set<unknown>();
  for (const path of paths) {
    let node: unknown = doc.contents;
    const ancestors: unknown[] = [node];
    for (const key of path) {
      const next = child(node, key);
      if (!next) {
        node = undefined;
        break;
      }
      node = next.node;
      if (isAlias(node)) {
        const target = node.resolve(doc);
        if (!target || isAlias(target)) break;
        node = budget.copy(target);
        next.set(node as Node);
      }
      ancestors.push(node);
    }
    for (const a of ancestors) touched.add(a);
    if (!node || !(isMap(node) || isSeq(node) || isScalar(node))) continue;
    if (isMap(node) || isSeq(node)) expandIn(doc, node, budget, () => true);
    visit(node, { Node: (_, n) => void touched.add(n) });
    if (isScalar(node)) touched.add(node);
  }
  if (touched.size) expandIn(doc, doc, budget, (target) => touched.has(target));
}
