// rolesMapping with NEL (U+0085), LINE SEPARATOR (U+2028) or PARAGRAPH SEPARATOR (U+2029): Epinio's
// yaml.v2 takes them for line breaks and this tool's yaml package does not (yamlV2.ts), so the two
// read other mappings. Checked with the Go reference checker: after '# note<NEL>- connectorId: x'
// Epinio has an extra entry x; a comment going on as '...: ...' fails its parse; a NEL in a quoted
// group id is a space to Epinio. The same rule as config.yaml's yaml.line-break.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Problem } from './problems.js';
import { PARSE_OPTIONS } from './rolesMapping.js';
import { yamlV2ExtraLineBreak } from './yamlV2.js';

type Ranged = { range?: [number, number, number] | null } | null | undefined;

function contains(node: unknown, index: number): boolean {
  const range = (node as Ranged)?.range;
  return !!range && range[0] <= index && index < range[2];
}

/** The path, as the validator writes it, of the innermost node holding `index` ('rolesMapping'
 *  when none does, e.g. a comment line of its own between entries). */
function pathAt(node: unknown, index: number, path: string): string {
  if (isMap(node))
    for (const pair of node.items)
      if (contains(pair.value, index))
        return pathAt(pair.value, index, `${path}.${isScalar(pair.key) ? String(pair.key.value) : ''}`);
  if (isSeq(node))
    for (const [n, item] of node.items.entries())
      if (contains(item, index)) return pathAt(item, index, `${path}[${n}]`);
  return path;
}

export function mappingLineBreakProblem(text: string): Problem | undefined {
  const found = yamlV2ExtraLineBreak(text);
  if (!found) return undefined;
  // Parsed again here, not taken from the document: only then do the node ranges match `text`
  // after edits, and the cost is paid only when such a character is there.
  // A root that is not a list has no entries to point into (it is a fatal problem of its own).
  const root = parseDocument(text, PARSE_OPTIONS).contents;
  const path = isSeq(root) ? pathAt(root, found.index, 'rolesMapping') : 'rolesMapping';
  return {
    severity: 'error',
    code: 'mapping.line-break',
    path,
    message: `rolesMapping contains ${found.code} at line ${found.line}, which Epinio's YAML reader takes for a line break (this tool's reader does not), even in a comment, so Epinio can read another mapping than the tool shows (when that is not valid YAML, every OIDC (Bearer) request fails with 500 'error getting OIDC provider'). Replace it with a plain space or a newline.`,
  };
}
