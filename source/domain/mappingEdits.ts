// Edits of the rolesMapping YAML document, and the rendering that keeps every line an edit did
// not touch exactly as the operator wrote it (comments, quoting, spacing).
import { diffArrays } from 'diff';
import {
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  Pair,
  parseDocument,
  Scalar,
  visit,
  YAMLMap,
  YAMLSeq,
  type Document,
} from 'yaml';
import type { MappingEntry } from './mappingTypes.js';
import type { NodePath } from './yamlAliases.js';

export type MappingEdit =
  | { op: 'entry.add'; connectorId: string; index?: number }
  | { op: 'entry.remove'; index: number }
  | { op: 'entry.move'; from: number; to: number }
  | { op: 'entry.setConnector'; index: number; connectorId: string }
  | { op: 'group.add'; entry: number; group: { id: string; roles: string[] }; index?: number }
  | { op: 'group.remove'; entry: number; group: number }
  | { op: 'group.move'; entry: number; from: number; to: number }
  | { op: 'group.set'; entry: number; group: number; id?: string; roles?: string[] }
  | { op: 'connector.rename'; from: string; to: string }
  | { op: 'connector.removeRefs'; connectorId: string }
  // connectorId: only for the map form, which names no connector (required then).
  | { op: 'fix.convertToModern'; connectorId?: string };

export class MappingEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingEditError';
  }
}

const PARSE_OPTIONS = { version: '1.1', uniqueKeys: false } as const;

function quoted(value: string): Scalar<string> {
  const s = new Scalar(value);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}

function rolesNode(roles: readonly string[], flow = true): YAMLSeq {
  const seq = new YAMLSeq();
  seq.flow = flow;
  for (const r of roles) seq.items.push(quoted(r));
  return seq;
}

/** Replaces a pair's value, keeping the comments the operator wrote on the old one. */
function replaceValue(pair: Pair, node: YAMLSeq | Scalar): void {
  const old = pair.value as { comment?: string | null; commentBefore?: string | null } | null;
  if (old && typeof old === 'object') {
    if (old.comment) node.comment = old.comment;
    if (old.commentBefore) node.commentBefore = old.commentBefore;
  }
  pair.value = node;
}

function resolve(doc: Document, node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 16 && isAlias(n); i++) n = n.resolve(doc);
  return n;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  // Last one wins, as in yaml.v2.
  let found: Pair | undefined;
  for (const p of map.items) if (isScalar(p.key) && String(p.key.value) === key) found = p as Pair;
  return found;
}

function setQuoted(map: YAMLMap, key: string, value: string): void {
  const p = pairOf(map, key);
  if (p) {
    if (isScalar(p.value)) {
      p.value.value = value;
      p.value.type = Scalar.QUOTE_DOUBLE;
      p.value.tag = undefined; // the old value's tag (!!binary...) would misread the new one
    } else replaceValue(p, quoted(value));
  } else map.items.push(new Pair(new Scalar(key), quoted(value)));
}

function rootSeq(doc: Document, create: boolean): YAMLSeq {
  const root = resolve(doc, doc.contents);
  if (isSeq(root)) return root;
  if (create && (root === null || root === undefined || (isScalar(root) && root.value === null))) {
    const seq = new YAMLSeq();
    doc.contents = seq;
    return seq;
  }
  throw new MappingEditError(
    'rolesMapping is not a list of connector entries; correct it in the editor first',
  );
}

function checkIndex(what: string, index: number, length: number, allowEnd = false, where = ''): void {
  const max = allowEnd ? length : length - 1;
  if (!Number.isInteger(index) || index < 0 || index > max) {
    throw new MappingEditError(
      `there is no ${what} ${index}${where} (valid: ${length === 0 && !allowEnd ? 'none' : `0 to ${max}`}); reload and try again`,
    );
  }
}

function entryMap(doc: Document, index: number): YAMLMap {
  const seq = rootSeq(doc, false);
  checkIndex('rolesMapping entry', index, seq.items.length);
  const item = resolve(doc, seq.items[index]);
  if (isMap(item)) return item;
  const map = new YAMLMap();
  seq.items[index] = map;
  return map;
}

function groupsSeq(doc: Document, entry: YAMLMap, create: boolean): YAMLSeq {
  const p = pairOf(entry, 'groups');
  const value = p ? resolve(doc, p.value) : undefined;
  if (isSeq(value)) return value;
  if (!create) return new YAMLSeq();
  const seq = new YAMLSeq();
  if (p) p.value = seq;
  else entry.items.push(new Pair(new Scalar('groups'), seq));
  return seq;
}

function move<T>(items: T[], from: number, to: number): void {
  const [item] = items.splice(from, 1);
  items.splice(to, 0, item as T);
}

function roleList(text: string): string[] {
  return text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

function scalarText(node: unknown): string {
  if (!isScalar(node) || node.value === null || node.value === undefined) return '';
  return typeof node.value === 'string'
    ? node.value
    : typeof node.source === 'string'
      ? node.source
      : String(node.value);
}

function convertToModern(doc: Document, connectorId: string | undefined): void {
  const root = resolve(doc, doc.contents);
  if (isMap(root)) {
    if (!connectorId) {
      throw new MappingEditError(
        'the map form of rolesMapping names no connector; choose the connector id its groups come from, then convert',
      );
    }
    const groups = new YAMLSeq();
    for (const pair of root.items) {
      const value = resolve(doc, pair.value);
      const roles = isSeq(value)
        ? value.items.map((r) => scalarText(resolve(doc, r)))
        : roleList(scalarText(value));
      const group = new YAMLMap();
      group.items.push(new Pair(new Scalar('id'), quoted(scalarText(pair.key))));
      group.items.push(new Pair(new Scalar('roles'), rolesNode(roles)));
      groups.items.push(group);
    }
    const entry = new YAMLMap();
    entry.items.push(new Pair(new Scalar('connectorId'), quoted(connectorId)));
    entry.items.push(new Pair(new Scalar('groups'), groups));
    const seq = new YAMLSeq();
    seq.items.push(entry);
    seq.commentBefore = root.commentBefore;
    doc.contents = seq;
    return;
  }
  if (!isSeq(root)) return;
  // A repeated key: yaml.v2 keeps the last one but still decodes the earlier ones, so an earlier
  // duplicate would survive the conversion (a scalar `roles:` stays fatal, a `role:` keeps the
  // format mixed): drop them, in entries and in groups.
  const dropEarlierDuplicates = (map: YAMLMap, key: string): void => {
    const last = pairOf(map, key);
    map.items = map.items.filter((p) => p === last || !(isScalar(p.key) && String(p.key.value) === key));
  };
  for (const item of root.items) {
    const entry = resolve(doc, item);
    if (!isMap(entry)) continue;
    dropEarlierDuplicates(entry, 'groups');
    const groups = resolve(doc, pairOf(entry, 'groups')?.value);
    if (!isSeq(groups)) continue;
    for (const g of groups.items) {
      const group = resolve(doc, g);
      if (!isMap(group)) continue;
      for (const key of ['roles', 'role']) dropEarlierDuplicates(group, key);
      const rolesPair = pairOf(group, 'roles');
      const rolePair = pairOf(group, 'role');
      if (rolesPair && isScalar(rolesPair.value) && rolesPair.value.value !== null) {
        replaceValue(rolesPair, rolesNode(roleList(scalarText(rolesPair.value))));
      }
      if (!rolePair) continue;
      const legacy = scalarText(resolve(doc, rolePair.value)).trim();
      if (rolesPair) {
        const existing = resolve(doc, rolesPair.value);
        const seq = isSeq(existing) ? existing : rolesNode([], true);
        if (legacy && !seq.items.some((r) => scalarText(resolve(doc, r)) === legacy))
          seq.items.push(quoted(legacy));
        rolesPair.value = seq;
        group.items.splice(group.items.indexOf(rolePair), 1);
      } else {
        // Replace in place so the line stays where the operator had it.
        rolePair.key = new Scalar('roles');
        replaceValue(rolePair, rolesNode(legacy ? [legacy] : [], true));
      }
    }
  }
}

/** Applies one edit to the parsed document; `entries` is the decoded view before the edit. */
const COLLECTION_TAGS = new Set(['tag:yaml.org,2002:seq', 'tag:yaml.org,2002:map']);

/** yaml.v2 ignores a scalar tag such as `!!str` on a list or map and decodes the collection; the
 *  yaml package would instead print such a collection as a scalar (`undefined`). Dropping those
 *  tags before an edit keeps what Epinio reads and what we write the same (found by fuzzing). */
function dropScalarTagsOnCollections(doc: Document): void {
  visit(doc, (_key, node) => {
    if (isCollection(node) && node.tag && !COLLECTION_TAGS.has(node.tag)) node.tag = undefined;
  });
}

export function applyEditToDocument(
  doc: Document,
  edit: MappingEdit,
  entries: readonly MappingEntry[],
): void {
  dropScalarTagsOnCollections(doc);
  switch (edit.op) {
    case 'entry.add': {
      if (!edit.connectorId) throw new MappingEditError('a rolesMapping entry needs a connector id');
      const seq = rootSeq(doc, true);
      const index = edit.index ?? seq.items.length;
      checkIndex('position', index, seq.items.length, true);
      const entry = new YAMLMap();
      entry.items.push(new Pair(new Scalar('connectorId'), quoted(edit.connectorId)));
      entry.items.push(new Pair(new Scalar('groups'), new YAMLSeq()));
      seq.items.splice(index, 0, entry);
      return;
    }
    case 'entry.remove': {
      const seq = rootSeq(doc, false);
      checkIndex('rolesMapping entry', edit.index, seq.items.length);
      seq.items.splice(edit.index, 1);
      return;
    }
    case 'entry.move': {
      const seq = rootSeq(doc, false);
      checkIndex('rolesMapping entry', edit.from, seq.items.length);
      checkIndex('rolesMapping entry', edit.to, seq.items.length);
      move(seq.items, edit.from, edit.to);
      return;
    }
    case 'entry.setConnector': {
      if (!edit.connectorId) throw new MappingEditError('a rolesMapping entry needs a connector id');
      setQuoted(entryMap(doc, edit.index), 'connectorId', edit.connectorId);
      return;
    }
    case 'group.add': {
      if (!edit.group.id)
        throw new MappingEditError('a group needs an id, exactly as the connector emits it');
      const entry = entryMap(doc, edit.entry);
      const seq = groupsSeq(doc, entry, true);
      const index = edit.index ?? seq.items.length;
      checkIndex('group position', index, seq.items.length, true, ` in entry ${edit.entry}`);
      if (seq.items.length === 0) seq.flow = false;
      const group = new YAMLMap();
      // Follow the neighbours' style: `{ id: ..., roles: [...] }` lines stay one-liners.
      const neighbour = resolve(doc, seq.items[index - 1] ?? seq.items[index]);
      group.flow = isMap(neighbour) ? (neighbour.flow ?? false) : false;
      group.items.push(new Pair(new Scalar('id'), quoted(edit.group.id)));
      group.items.push(new Pair(new Scalar('roles'), rolesNode(edit.group.roles)));
      seq.items.splice(index, 0, group);
      return;
    }
    case 'group.remove': {
      const seq = groupsSeq(doc, entryMap(doc, edit.entry), false);
      checkIndex('group', edit.group, seq.items.length, false, ` in entry ${edit.entry}`);
      seq.items.splice(edit.group, 1);
      return;
    }
    case 'group.move': {
      const seq = groupsSeq(doc, entryMap(doc, edit.entry), false);
      checkIndex('group', edit.from, seq.items.length, false, ` in entry ${edit.entry}`);
      checkIndex('group', edit.to, seq.items.length, false, ` in entry ${edit.entry}`);
      move(seq.items, edit.from, edit.to);
      return;
    }
    case 'group.set': {
      const seq = groupsSeq(doc, entryMap(doc, edit.entry), false);
      checkIndex('group', edit.group, seq.items.length, false, ` in entry ${edit.entry}`);
      let group = resolve(doc, seq.items[edit.group]);
      if (!isMap(group)) {
        group = new YAMLMap();
        seq.items[edit.group] = group;
      }
      const map = group as YAMLMap;
      if (edit.id !== undefined) {
        if (!edit.id) throw new MappingEditError('a group needs an id, exactly as the connector emits it');
        setQuoted(map, 'id', edit.id);
      }
      if (edit.roles !== undefined) {
        const p = pairOf(map, 'roles');
        const old = p ? resolve(doc, p.value) : undefined;
        const node = rolesNode(edit.roles, isSeq(old) ? (old.flow ?? false) : true);
        if (p) replaceValue(p, node);
        else map.items.push(new Pair(new Scalar('roles'), node));
      }
      return;
    }
    case 'connector.rename': {
      if (!edit.to) throw new MappingEditError('the new connector id is empty');
      rootSeq(doc, false);
      entries.forEach((e, i) => {
        if (e.connectorId === edit.from) setQuoted(entryMap(doc, i), 'connectorId', edit.to);
      });
      return;
    }
    case 'connector.removeRefs': {
      const seq = rootSeq(doc, false);
      for (let i = entries.length - 1; i >= 0; i--)
        if (entries[i]!.connectorId === edit.connectorId) seq.items.splice(i, 1);
      return;
    }
    case 'fix.convertToModern':
      convertToModern(doc, edit.connectorId);
      return;
    default: {
      const unknown: never = edit;
      throw new MappingEditError(`unknown rolesMapping edit ${JSON.stringify(unknown)}`);
    }
  }
}

function stringifyOptions(original: string) {
  // Keep the operator's list style: `key:\n- item` (not indented) vs `key:\n  - item`.
  const compact = /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(original);
  const indented = /^( *)[^\s#-][^\n]*:[ \t]*\n\1 +- /m.test(original);
  // One padding option covers `[...]` and `{...}`; roles lists are the common flow collection, so follow them.
  return { lineWidth: 0, indentSeq: indented && !compact, flowCollectionPadding: /\[ \S/.test(original) };
}

function lines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/**
 * Renders `edited` so that lines the edit did not change keep their original bytes. A and B are the
 * original text and the library's rendering of it unedited; B differs from A only in formatting. The
 * B→C diff (C = rendering after the edit) says which lines the edit touched; every run of B lines
 * kept by the edit is printed as the A text it came from.
 */
export function renderMinimalChange(original: string, edited: Document): string {
  let opts = stringifyOptions(original);
  const render = (d: Document): string => (d.contents === null ? '' : d.toString(opts));
  let c = render(edited);
  // With indentSeq off, the yaml package prints a commented flow value of a key inside a list item
  // (`groups:` / `# note` / `[]`, left when the last group is removed) at the key's own indentation,
  // which does not parse (found by the fuzzer); its indented style does. The merge below still
  // keeps the operator's own lines wherever the edit did not reach.
  if (!opts.indentSeq && c && parseDocument(c, PARSE_OPTIONS).errors.length) {
    opts = { ...opts, indentSeq: true };
    c = render(edited);
  }
  const pristine = parseDocument(original, PARSE_OPTIONS);
  if (pristine.errors.length) return c;
  const endsWithNewline = original.endsWith('\n') || original === '';
  const A = lines(endsWithNewline ? original : `${original}\n`);
  const B = lines(render(pristine));
  const C = lines(c);

  // Segments mapping B lines to the A lines they render.
  interface Segment {
    a: string[];
    bCount: number;
    kept: number;
  }
  const segOfB: number[] = [];
  const segments: Segment[] = [];
  const prefixOfB = new Map<number, string[]>(); // A-only lines, printed before B line j
  const trailing: string[] = [];
  let bIndex = 0;
  for (const part of diffArrays(A, B)) {
    if (!part.added && !part.removed) {
      for (const line of part.value) {
        segments.push({ a: [line], bCount: 1, kept: 0 });
        segOfB[bIndex++] = segments.length - 1;
      }
    } else if (part.removed) {
      segments.push({ a: part.value, bCount: 0, kept: 0 });
    } else {
      const last = segments[segments.length - 1];
      if (last && last.bCount === 0) {
        last.bCount = part.count ?? part.value.length;
        for (let k = 0; k < last.bCount; k++) segOfB[bIndex++] = segments.length - 1;
      } else {
        segments.push({ a: [], bCount: part.value.length, kept: 0 });
        for (let k = 0; k < part.value.length; k++) segOfB[bIndex++] = segments.length - 1;
      }
    }
  }
  // A-only segments: attach to the next B line (or the end).
  {
    let pending: string[] = [];
    let b = 0;
    for (const seg of segments) {
      if (seg.bCount === 0) pending = pending.concat(seg.a);
      else {
        if (pending.length) prefixOfB.set(b, pending);
        pending = [];
        b += seg.bCount;
      }
    }
    trailing.push(...pending);
  }

  const ops = diffArrays(B, C);
  const keptB = new Array<boolean>(B.length).fill(false);
  {
    let b = 0;
    for (const part of ops) {
      if (part.added) continue;
      for (let k = 0; k < part.value.length; k++) keptB[b++] = !part.removed;
    }
  }
  for (let j = 0; j < B.length; j++) if (keptB[j]) segments[segOfB[j]!]!.kept++;

  const out: string[] = [];
  const emitted = new Set<number>();
  const emitB = (j: number) => {
    const prefix = prefixOfB.get(j);
    if (prefix) out.push(...prefix);
    if (!keptB[j]) return;
    const s = segOfB[j]!;
    const seg = segments[s]!;
    if (seg.kept === seg.bCount) {
      if (!emitted.has(s)) {
        emitted.add(s);
        out.push(...seg.a);
      }
    } else out.push(B[j]!);
  };
  let b = 0;
  for (const part of ops) {
    if (part.added) out.push(...part.value);
    else for (let k = 0; k < part.value.length; k++) emitB(b++);
  }
  out.push(...trailing);
  let merged = out.join('');
  if (!endsWithNewline && merged.endsWith('\n')) merged = merged.slice(0, -1);

  // The merge is a formatting nicety; the meaning must equal the library's own rendering.
  const check = parseDocument(merged, PARSE_OPTIONS);
  const same =
    check.errors.length === 0 &&
    JSON.stringify(check.toJS()) === JSON.stringify(parseDocument(c, PARSE_OPTIONS).toJS());
  return same ? merged : c;
}

/**
 * The entries an edit touches, for expandAliasesAround (paths into the root list); undefined for
 * the conversion, which rewrites every entry.
 */
export function mappingEditScope(
  edit: MappingEdit,
  entries: readonly MappingEntry[],
): NodePath[] | undefined {
  switch (edit.op) {
    case 'entry.add':
      return [];
    case 'entry.remove':
    case 'entry.setConnector':
      return [[edit.index]];
    case 'entry.move':
      return [[edit.from]];
    case 'group.add':
    case 'group.remove':
    case 'group.move':
    case 'group.set':
      return [[edit.entry]];
    case 'connector.rename':
    case 'connector.removeRefs': {
      const id = edit.op === 'connector.rename' ? edit.from : edit.connectorId;
      return entries.flatMap((e, i) => (e.connectorId === id ? [[i]] : []));
    }
    default:
      return undefined;
  }
}
