// The one-line summary of a revision, derived from the data before and after the write: which
// connectors, static passwords, mapping entries and keys changed ("connector github added; mapping
// entry 2 moved"). Never a value: names, ids and positions only (ids and emails are not secret).
import { isDeepStrictEqual } from 'node:util';
import { diffArrays } from 'diff';
import { parse } from 'yaml';
import { DexConfigDocument } from './dexConfig.js';
import { CONFIG_KEY, MAPPING_KEY } from './names.js';
import { RolesMappingDocument } from './rolesMapping.js';

const MAX = 200;

function topLevel(text: string): Record<string, unknown> {
  try {
    return (parse(text, { uniqueKeys: false }) ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function configParts(before: string | undefined, after: string | undefined): string[] {
  if (before === undefined) return [`${CONFIG_KEY} added`];
  if (after === undefined) return [`${CONFIG_KEY} removed`];
  let a: DexConfigDocument, b: DexConfigDocument;
  try {
    a = DexConfigDocument.parse(before);
    b = DexConfigDocument.parse(after);
  } catch {
    return [`${CONFIG_KEY} changed`];
  }
  const parts: string[] = [];
  const ca = a.connectors();
  const cb = b.connectors();
  const idsA = ca.map((c) => c.id);
  const idsB = cb.map((c) => c.id);
  for (const c of cb) if (!idsA.includes(c.id)) parts.push(`connector ${c.id} added`);
  for (const c of ca) if (!idsB.includes(c.id)) parts.push(`connector ${c.id} removed`);
  for (const c of cb) {
    const old = ca.find((x) => x.id === c.id);
    if (!old) continue;
    const { index: _i, ...x } = old;
    const { index: _j, ...y } = c;
    if (!isDeepStrictEqual(x, y)) parts.push(`connector ${c.id} changed`);
  }
  const keptA = idsA.filter((id) => idsB.includes(id));
  const keptB = idsB.filter((id) => idsA.includes(id));
  if (!isDeepStrictEqual(keptA, keptB)) {
    const moved = keptB.filter((id, i) => keptA[i] !== id);
    parts.push(`connector${moved.length === 1 ? '' : 's'} ${moved.join(', ')} moved`);
  }
  const sa = a.staticPasswords();
  const sb = b.staticPasswords();
  for (const s of sb)
    if (!sa.some((x) => x.email === s.email)) parts.push(`static password ${s.email} added`);
  for (const s of sa)
    if (!sb.some((x) => x.email === s.email)) parts.push(`static password ${s.email} removed`);
  for (const s of sb) {
    const old = sa.find((x) => x.email === s.email);
    if (!old) continue;
    if (old.hash !== s.hash) parts.push(`password of ${s.email} changed`);
    else if (!isDeepStrictEqual({ ...old, index: 0 }, { ...s, index: 0 }))
      parts.push(`static password ${s.email} changed`);
  }
  if (a.enablePasswordDB !== b.enablePasswordDB)
    parts.push(`enablePasswordDB ${b.enablePasswordDB ? 'enabled' : 'disabled'}`);
  // The remaining top-level sections by name (issuer, storage, oauth2 ...).
  const ta = topLevel(before);
  const tb = topLevel(after);
  const handled = new Set(['connectors', 'staticPasswords', 'enablePasswordDB']);
  for (const k of [...new Set([...Object.keys(ta), ...Object.keys(tb)])]) {
    if (handled.has(k) || isDeepStrictEqual(ta[k], tb[k])) continue;
    parts.push(`${k} ${!(k in ta) ? 'added' : !(k in tb) ? 'removed' : 'changed'}`);
  }
  // Only comments or formatting differ.
  if (!parts.length) parts.push(`${CONFIG_KEY} comments or layout changed`);
  return parts;
}

function mappingParts(before: string | undefined, after: string | undefined): string[] {
  const a = RolesMappingDocument.parse(before ?? '');
  const b = RolesMappingDocument.parse(after ?? '');
  if (a.fatal.length || b.fatal.length) return [`${MAPPING_KEY} changed`];
  const ea = a.entries().map((e) => JSON.stringify(e));
  const eb = b.entries().map((e) => JSON.stringify(e));
  const parts: string[] = [];
  let ia = 0;
  let ib = 0;
  const removed: { at: number; v: string }[] = [];
  const added: { at: number; v: string }[] = [];
  for (const ch of diffArrays(ea, eb)) {
    const n = ch.count ?? ch.value.length;
    if (ch.removed) ch.value.forEach((v, k) => removed.push({ at: ia + k, v }));
    else if (ch.added) ch.value.forEach((v, k) => added.push({ at: ib + k, v }));
    if (!ch.added) ia += n;
    if (!ch.removed) ib += n;
  }
  // An entry removed in one place and added unchanged in another moved.
  for (const r of [...removed]) {
    const k = added.findIndex((x) => x.v === r.v);
    if (k < 0) continue;
    parts.push(`mapping entry ${r.at} moved to ${added[k].at}`);
    added.splice(k, 1);
    removed.splice(removed.indexOf(r), 1);
  }
  const changedAt = new Set<number>();
  for (const r of removed) {
    const k = added.findIndex((x) => x.at === r.at);
    if (k >= 0) {
      changedAt.add(r.at);
      added.splice(k, 1);
    }
  }
  for (const at of changedAt) parts.push(`mapping entry ${at} changed`);
  for (const r of removed) if (!changedAt.has(r.at)) parts.push(`mapping entry ${r.at} removed`);
  for (const x of added) {
    const id = (JSON.parse(x.v) as { connectorId: string }).connectorId;
    parts.push(`mapping entry ${x.at} added (${id})`);
  }
  if (!parts.length) parts.push(`${MAPPING_KEY} comments or layout changed`);
  return parts;
}

/** One line of what changed between the two versions of `dex-config`'s data. */
export function summarizeChange(before: Record<string, string>, after: Record<string, string>): string {
  const parts: string[] = [];
  if (before[CONFIG_KEY] !== after[CONFIG_KEY])
    parts.push(...configParts(before[CONFIG_KEY], after[CONFIG_KEY]));
  if (before[MAPPING_KEY] !== after[MAPPING_KEY])
    parts.push(...mappingParts(before[MAPPING_KEY], after[MAPPING_KEY]));
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (k === CONFIG_KEY || k === MAPPING_KEY || before[k] === after[k]) continue;
    const what = !(k in before) ? 'added' : !(k in after) ? 'removed' : 'changed';
    parts.push(`key ${k} ${what}`);
  }
  if (!parts.length) return 'no change';
  const line = parts.join('; ');
  return line.length > MAX ? `${line.slice(0, MAX - 1)}…` : line;
}
