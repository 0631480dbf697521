// Secret references for files kept in git (`export`, `diff -f`, `apply -f`). Export replaces every
// secret value of config.yaml (the masking rule of masking.ts decides which) by a reference that
// names its place, `"<secret:connectors[github].config.clientSecret>"`; a reference left as it is
// means "keep the value the cluster has there", so a file in git never holds a secret and an
// export applies unchanged. The operator fills one in (a value, or a `$VAR` that Dex expands) to
// change it. The reference has no `$`: Dex's own env expansion must never consume it.
// Copies of a secret elsewhere (a comment, an alias) are exported as `***`; resolving puts the
// cluster's line back where the file still has exactly the masked line.
import { parseDocument, visit, type Scalar } from 'yaml';
import { analyseSecrets, maskSecretLines, maskSpots, MASK, type SecretSpot } from './masking.js';

const REF = /^<secret:([^<>\s]+)>$/;
const refKey = (spot: SecretSpot): string => spot.key.replace(/^\./, '');
export const secretRef = (key: string): string => `<secret:${key}>`;

/** config.yaml for git: every secret value a reference, copies of secrets and commented secrets `***`. */
export function exportConfigText(text: string): string {
  const { spots, values, parsed } = analyseSecrets(text);
  if (!parsed) return maskSecretLines(text, { comments: false });
  return maskSpots(text, spots, (s) => `"${secretRef(refKey(s))}"`, values);
}

/** rolesMapping for git: it holds no secret by its format; a commented one is masked all the same. */
export function exportMappingText(text: string): string {
  return maskSecretLines(text, { comments: true });
}

export class SecretRefError extends Error {
  constructor(
    message: string,
    readonly refs: string[],
  ) {
    super(message);
    this.name = 'SecretRefError';
  }
}

/** The current value's text for a reference: its own line when it is one, else as a quoted scalar. */
function currentValueText(spot: SecretSpot): string | undefined {
  if (!spot.value.includes('\n')) return spot.value;
  const doc = parseDocument(spot.value, { version: '1.1' });
  if (doc.errors.length) return undefined;
  return JSON.stringify(doc.toJS());
}

/**
 * The desired config.yaml with each reference replaced by its value from `fills` (the operator's,
 * given at apply time), else by the cluster's value at the same place. Throws SecretRefError
 * naming every reference the cluster has no value for, and every fill no reference asks for.
 */
export function resolveConfigRefs(
  desired: string,
  current: string,
  fills: ReadonlyMap<string, string> = new Map(),
): string {
  const currentSpots = new Map(analyseSecrets(current).spots.map((s) => [refKey(s), s]));
  const doc = parseDocument(desired, { version: '1.1', uniqueKeys: false });
  if (doc.errors.length) return desired; // the document's own parse reports it
  const found: { key: string; range: [number, number] }[] = [];
  visit(doc, {
    Scalar(_, node: Scalar) {
      const m = typeof node.value === 'string' ? REF.exec(node.value) : null;
      if (m && node.range) found.push({ key: m[1], range: [node.range[0], node.range[1]] });
    },
  });
  const missing: string[] = [];
  let out = desired;
  for (const ref of found.sort((a, b) => b.range[0] - a.range[0])) {
    const spot = currentSpots.get(ref.key);
    const fill = fills.get(ref.key);
    const value = fill !== undefined ? JSON.stringify(fill) : spot && currentValueText(spot);
    if (value === undefined) {
      missing.push(ref.key);
      continue;
    }
    // The node's range covers the scalar with its quotes, not the line break after it.
    const raw = out.slice(ref.range[0], ref.range[1]).replace(/\s+$/, '');
    out = out.slice(0, ref.range[0]) + value + out.slice(ref.range[0] + raw.length);
  }
  const unused = [...fills.keys()].filter((k) => !found.some((r) => r.key === k));
  if (unused.length)
    throw new SecretRefError(
      `there is no reference ${unused.map((k) => `"${secretRef(k)}"`).join(', ')} to fill in (the file's references read "<secret:PLACE>")`,
      unused,
    );
  if (missing.length) {
    const list = missing.reverse().map((k) => `"${secretRef(k)}"`);
    throw new SecretRefError(
      `${list.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no value in the cluster to keep: fill ${missing.length === 1 ? 'it' : 'them'} in (a value, or a $VARIABLE that Dex expands)`,
      missing,
    );
  }
  return out;
}

/**
 * Puts the cluster's lines back where the desired text has exactly the line export made of them
 * (`# clientSecret: ***` for the commented secret, a scrubbed copy), so an unchanged export is in
 * sync; `mask(line)` is export's rule for one line.
 */
export function restoreMaskedLines(desired: string, current: string, mask: (line: string) => string): string {
  if (!desired.includes(MASK)) return desired;
  const back = new Map<string, string>();
  for (const line of current.split('\n')) {
    const masked = mask(line);
    if (masked !== line && !back.has(masked)) back.set(masked, line);
  }
  return desired
    .split('\n')
    .map((line) => back.get(line) ?? line)
    .join('\n');
}

/** export's rule for one line of config.yaml: scrubbed copies of the secrets, commented secrets. */
export function configLineMask(current: string): (line: string) => string {
  const { values } = analyseSecrets(current);
  return (line) => maskSpots(line, [], () => MASK, values);
}

export const mappingLineMask = (line: string): string => exportMappingText(line);

/** Whether a YAML text holds any comment (the parser keeps every comment on a node or the document). */
export function hasComments(text: string): boolean {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  if (doc.commentBefore || doc.comment) return true;
  let found = false;
  visit(doc, (_, node) => {
    const n = node as { commentBefore?: string | null; comment?: string | null } | null;
    if (n && (n.commentBefore || n.comment)) {
      found = true;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}
