// YAML anchors and aliases (`&cfg` ... `*cfg`) under edits. An edit through an alias would change
// every place that shares the anchored node, and removing or moving the anchored node leaves the
// alias dangling (the yaml package then throws while printing). Both were found by the fuzzer.
import { isAlias, visit, type Document, type Node } from 'yaml';

/** Thrown when expanding would copy more nodes than the budget (an alias bomb). */
export class AliasExpansionError extends Error {}

/**
 * Replaces every alias by a copy of the node it names (without the anchor), so the document means
 * exactly what it meant and each edit changes one place only. The operator sees the expansion in
 * the diff; a document without aliases is left as it is. Dangling aliases are left alone: the
 * parsers report them. `maxNodes` bounds the copies.
 */
export function expandAliases(doc: Document, maxNodes = 20_000): void {
  let budget = maxNodes;
  visit(doc, {
    Alias(_, alias) {
      const target = alias.resolve(doc);
      if (!target || isAlias(target)) return undefined;
      const copy = target.clone() as Node;
      visit(copy, {
        Node(_, node) {
          node.anchor = undefined;
          if (--budget < 0) {
            throw new AliasExpansionError(
              `its aliases expand to more than ${maxNodes} nodes; edit it in the editor instead`,
            );
          }
        },
      });
      // visit() continues into the copy, so aliases nested in it are expanded too.
      return copy;
    },
  });
}
