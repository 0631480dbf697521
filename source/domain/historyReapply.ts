// Re-applying the tool's revisions on top of a `dex-config` that Helm re-rendered (a `helm upgrade`
// writes the chart's config.yaml and drops what the operator added by hand). Each revision keeps the
// changed keys' values before and after; from those, config.yaml's change is re-derived as intents
// (this connector as it was left, that one removed, this static password, the password database)
// and each intent becomes the DexEdit it still needs on the current text, or nothing when it is in
// effect already: so re-applying twice changes nothing the second time. rolesMapping and other keys
// are merged as text (dexTextMerge.ts, the three-way line merge with the revision's before as base).
import { isDeepStrictEqual } from 'node:util';
import {
  applyDexEdits,
  DexConfigDocument,
  DexEditError,
  type DexEdit,
  type StaticPassword,
} from './dexConfig.js';
import { mergeEdit } from './dexTextMerge.js';
import type { HistoryDoc, Revision } from './history.js';
import { CONFIG_KEY } from './names.js';

type Intent =
  | {
      kind: 'put';
      id: string;
      entry: { type: string; id: string; name: string; config: Record<string, unknown> };
      yaml: string;
      index: number;
    }
  | { kind: 'remove'; id: string }
  | { kind: 'static.put'; entry: Omit<StaticPassword, 'index'> }
  | { kind: 'static.remove'; email: string }
  | { kind: 'passwordDB'; enabled: boolean };

const plain = (c: { type: string; id: string; name: string; config: Record<string, unknown> }) => ({
  type: c.type,
  id: c.id,
  name: c.name,
  config: c.config,
});
const noIndex = ({ index: _i, ...rest }: StaticPassword): Omit<StaticPassword, 'index'> => rest;

/** What a revision did to config.yaml, as intents; undefined when either side does not parse. */
function intents(before: string, after: string): { intents: Intent[]; others: string[] } | undefined {
  let a: DexConfigDocument, b: DexConfigDocument;
  try {
    a = DexConfigDocument.parse(before);
    b = DexConfigDocument.parse(after);
  } catch {
    return undefined;
  }
  const out: Intent[] = [];
  const ca = a.connectors();
  for (const c of b.connectors()) {
    const old = ca.find((x) => x.id === c.id);
    if (!old || !isDeepStrictEqual(plain(old), plain(c)))
      out.push({ kind: 'put', id: c.id, entry: plain(c), yaml: b.connectorYaml(c.id), index: c.index });
  }
  for (const c of ca) if (!b.connector(c.id)) out.push({ kind: 'remove', id: c.id });
  const sa = a.staticPasswords();
  const sb = b.staticPasswords();
  for (const s of sb) {
    const old = sa.find((x) => x.email === s.email);
    if (!old || !isDeepStrictEqual(noIndex(old), noIndex(s)))
      out.push({ kind: 'static.put', entry: noIndex(s) });
  }
  for (const s of sa)
    if (!sb.some((x) => x.email === s.email)) out.push({ kind: 'static.remove', email: s.email });
  if (a.enablePasswordDB !== b.enablePasswordDB)
    out.push({ kind: 'passwordDB', enabled: b.enablePasswordDB });
  // Other sections (issuer, storage ...) are the chart's to render: named, not re-applied.
  const va = a.dexView();
  const vb = b.dexView();
  const handled = new Set(['connectors', 'staticPasswords', 'enablePasswordDB']);
  const others = [...new Set([...Object.keys(va), ...Object.keys(vb)])].filter(
    (k) => !handled.has(k) && !isDeepStrictEqual(va[k], vb[k]),
  );
  return { intents: out, others };
}

/** The edits an intent still needs on `doc` (none when it is in effect). */
function editsFor(intent: Intent, doc: DexConfigDocument): DexEdit[] {
  switch (intent.kind) {
    case 'put': {
      const cur = doc.connector(intent.id);
      if (cur && isDeepStrictEqual(plain(cur), intent.entry)) return [];
      if (cur) return [{ op: 'connector.replace', id: intent.id, yaml: intent.yaml }];
      // Added with its values, then replaced by its own text so comments and layout come back too.
      const index = Math.min(intent.index, doc.connectors().length);
      return [
        { op: 'connector.add', connector: intent.entry, index },
        { op: 'connector.replace', id: intent.id, yaml: intent.yaml },
      ];
    }
    case 'remove':
      return doc.connector(intent.id) ? [{ op: 'connector.remove', id: intent.id }] : [];
    case 'static.put': {
      const cur = doc.staticPasswords().find((s) => s.email === intent.entry.email);
      if (cur && isDeepStrictEqual(noIndex(cur), intent.entry)) return [];
      if (
        cur &&
        isDeepStrictEqual({ ...noIndex(cur), hash: undefined }, { ...intent.entry, hash: undefined }) &&
        intent.entry.hash
      )
        return [{ op: 'static.setHash', email: intent.entry.email, hash: intent.entry.hash }];
      return [
        ...(cur ? [{ op: 'static.remove', email: cur.email } as DexEdit] : []),
        { op: 'static.add', entry: intent.entry },
      ];
    }
    case 'static.remove':
      return doc.staticPasswords().some((s) => s.email === intent.email)
        ? [{ op: 'static.remove', email: intent.email }]
        : [];
    case 'passwordDB':
      return doc.enablePasswordDB === intent.enabled
        ? []
        : [{ op: 'passwordDB.set', enabled: intent.enabled }];
  }
}

export interface ReapplyPlan {
  /** Revisions that still contribute something, oldest first. */
  revisions: number[];
  /** The DexEdits on the current config.yaml, in order (the UI can stage them). */
  dexEdits: DexEdit[];
  /** Keys to write: the current data with the revisions re-applied (only keys that differ). */
  changes: Record<string, string>;
  /** What could not be re-applied, in words. */
  notes: string[];
}

/**
 * The tool's revisions (those newer than `after`, default all kept) re-applied on `current`, oldest
 * first, each only where it is not in effect already.
 */
export function planReapply(history: HistoryDoc, current: Record<string, string>, after = 0): ReapplyPlan {
  const plan: ReapplyPlan = { revisions: [], dexEdits: [], changes: {}, notes: [] };
  const data = { ...current };
  for (const r of history.revisions) {
    if (r.number <= after || r.kind === 'reapply') continue;
    if (!r.values) {
      plan.notes.push(
        `revision ${r.number} (${r.summary}): its values were pruned for size, so it cannot be re-applied`,
      );
      continue;
    }
    if (reapplyOne(r, data, plan)) plan.revisions.push(r.number);
  }
  for (const [k, v] of Object.entries(data)) if (current[k] !== v) plan.changes[k] = v;
  return plan;
}

function reapplyOne(r: Revision, data: Record<string, string>, plan: ReapplyPlan): boolean {
  let contributed = false;
  const { before, after } = r.values!;
  for (const key of r.keys) {
    const b = before[key];
    const a = after[key];
    if (key === CONFIG_KEY && b !== null && a !== null && data[key] !== undefined) {
      const derived = intents(b, a);
      if (!derived) {
        plan.notes.push(`revision ${r.number}: config.yaml did not parse before or after it; not re-applied`);
        continue;
      }
      for (const k of derived.others)
        plan.notes.push(
          `revision ${r.number} changed ${k} in config.yaml: the chart's value stays (set it in the chart's values)`,
        );
      for (const intent of derived.intents) {
        let doc: DexConfigDocument;
        try {
          doc = DexConfigDocument.parse(data[key]);
        } catch {
          plan.notes.push(`the current config.yaml does not parse: revision ${r.number} not re-applied`);
          break;
        }
        const edits = editsFor(intent, doc);
        if (!edits.length) continue;
        try {
          data[key] = applyDexEdits(data[key], edits);
          plan.dexEdits.push(...edits);
          contributed = true;
        } catch (err) {
          if (!(err instanceof DexEditError)) throw err;
          plan.notes.push(`revision ${r.number}: ${err.message}`);
        }
      }
      continue;
    }
    // Any other key (rolesMapping first of all): a line merge of the revision's change into the current text.
    const cur = data[key] ?? null;
    if (cur === a) continue;
    let next: string | null;
    if (cur === b || a === null || b === null || cur === null) next = a;
    else next = mergeEdit(b, cur, a);
    if (next === null) delete data[key];
    else data[key] = next;
    contributed = true;
  }
  return contributed;
}
