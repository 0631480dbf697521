// The single-pass reader of a manifest. `kubectl get ... -o yaml` output is a `kind: List` whose
// items start at one column, or a stream of documents: the text is cut at those lines (documents at
// `---`, List items at their dash) and each piece is parsed on its own, with js-yaml's YAML 1.2 core
// schema (the values the yaml package gives, about ten times faster and without a whole-file node
// tree), or with JSON.parse for a JSON manifest. Every object keeps the span of its text, so an edit
// parses only that piece again. Anything this reader does not handle the same way as the yaml
// package (anchors, aliases, tags, merge keys, directives, a byte-order mark, a piece that does not
// parse alone, a shape error to report with its line) returns undefined: the caller then parses the
// whole file with the yaml package, which has the last word, errors included.
import { CORE_SCHEMA, load } from 'js-yaml';
import type { RawObject } from '../objects.js';

export interface ScannedObject {
  raw: RawObject;
  /** The object's text: a List item from its dash line to the next item, or a whole document. */
  start: number;
  end: number;
  doc: number;
  inList: boolean;
  /** Column of a YAML List item's dash (the lines after it are indented further). */
  indent: number;
}

/** Where a new List item goes: the end of a block `items:` sequence. */
export interface ListEnd {
  at: number;
  indent: number;
}

export interface Scan {
  format: 'yaml' | 'json';
  objects: ScannedObject[];
  /** A block List to append to, when the file has one. */
  list?: ListEnd;
  /** True when some document is a List the scan cannot append to (flow `items: []`). */
  otherList: boolean;
}

// Features whose meaning differs between readers or spans pieces: the whole-file parser decides.
const UNUSUAL = /(?:^|[\s,[{])[&*!][^\s,\]}]|^%|<<|^\ufeff/m;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The shapes the store reads (see checkShape in manifest.ts); a bad one is reported by the yaml path. */
function shapeOk(raw: Record<string, unknown>): boolean {
  if (raw.kind !== 'Secret' && raw.kind !== 'ConfigMap') return true;
  const meta = raw.metadata as Record<string, unknown>;
  if (typeof meta.name !== 'string') return false;
  for (const v of [meta.labels, meta.annotations, raw.data, raw.stringData])
    if (v !== undefined && v !== null && !isObject(v)) return false;
  return true;
}

/** An object the store lists: a map with a kind and a name. */
function asObject(v: unknown): RawObject | undefined | false {
  if (!isObject(v) || !v.kind || !isObject(v.metadata) || !v.metadata.name) return undefined;
  return shapeOk(v) ? (v as RawObject) : false;
}

function yamlLoad(text: string): unknown {
  return load(text, { schema: CORE_SCHEMA });
}

export function scanManifest(text: string): Scan | undefined {
  try {
    return /^\s*[{[]/.test(text) ? scanJson(text) : scanYaml(text);
  } catch {
    // A piece that does not parse alone, or nesting past the stack: the whole-file parser decides.
    return undefined;
  }
}

/** Parses one piece again after an edit (same reader as the scan). */
export function reparsePiece(format: 'yaml' | 'json', text: string, inList: boolean): RawObject | undefined {
  try {
    const v = format === 'json' ? (JSON.parse(text) as unknown) : yamlLoad(text);
    const item = inList && format === 'yaml' ? (Array.isArray(v) && v.length === 1 ? v[0] : undefined) : v;
    return asObject(item) || undefined;
  } catch {
    return undefined;
  }
}

/** True when an edited List item still reads as exactly one item at its column. */
export function keepsItemBounds(piece: string, indent: number): boolean {
  const dash = ' '.repeat(indent) + '-';
  if (!piece.startsWith(dash) || !piece.endsWith('\n')) return false;
  let at = piece.indexOf('\n') + 1;
  while (at < piece.length) {
    const nl = piece.indexOf('\n', at);
    const line = piece.slice(at, nl);
    at = nl + 1;
    const content = line.replace(/^ +/, '');
    if (content === '' || content === '\r' || content.startsWith('#')) continue;
    if (line.length - content.length <= indent) return false;
  }
  return true;
}

function scanYaml(text: string): Scan | undefined {
  if (UNUSUAL.test(text)) return undefined;
  const objects: ScannedObject[] = [];
  let list: ListEnd | undefined;
  let otherList = false;
  // Line starts, once.
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1 && i + 1 < text.length; i = text.indexOf('\n', i + 1))
    starts.push(i + 1);
  const lineAt = (n: number): string => {
    const s = starts[n]!;
    const e = n + 1 < starts.length ? starts[n + 1]! : text.length;
    return text.slice(s, e).replace(/\r?\n$/, '');
  };
  const endOf = (n: number): number => (n < starts.length ? starts[n]! : text.length);
  let doc = 0;
  let first = 0;
  const flushDoc = (from: number, to: number): boolean => {
    // Lines [from, to) are one document.
    let itemsLine = -1;
    for (let n = from; n < to; n++) {
      if (/^items:[ \t]*(?:#.*)?$/.test(lineAt(n))) {
        itemsLine = n;
        break;
      }
    }
    const docText = text.slice(endOf(from), endOf(to));
    if (itemsLine === -1) {
      const raw = asObject(yamlLoad(docText));
      if (raw === false) return false;
      if (raw) objects.push({ raw, start: endOf(from), end: endOf(to), doc, inList: false, indent: 0 });
      if (isObject(raw) && String(raw.kind).endsWith('List')) otherList = true;
      return true;
    }
    // The block sequence under `items:`: its first content line sets the dash column.
    let n = itemsLine + 1;
    const skippable = (l: string) => /^\s*(?:#.*)?$/.test(l);
    while (n < to && skippable(lineAt(n))) n++;
    const m = n < to ? /^( *)-(?: |$)/.exec(lineAt(n)) : null;
    if (!m) {
      const whole = yamlLoad(docText);
      if (isObject(whole) && String(whole.kind).endsWith('List')) otherList = true;
      const raw = asObject(whole);
      if (raw === false) return false;
      if (raw) objects.push({ raw, start: endOf(from), end: endOf(to), doc, inList: false, indent: 0 });
      return true;
    }
    const indent = m[1]!.length;
    const dash = `${m[1]}-`;
    const itemStarts: number[] = [];
    let end = to;
    for (; n < to; n++) {
      const l = lineAt(n);
      if (skippable(l)) continue;
      const lead = l.length - l.replace(/^ +/, '').length;
      if (lead === indent && (l.startsWith(dash + ' ') || l === dash)) itemStarts.push(n);
      else if (lead < indent || (lead === indent && indent === 0)) {
        end = n;
        break;
      } else if (lead === indent) return false;
    }
    // The List itself (without its items) decides that this is a List.
    const rest = text.slice(endOf(from), endOf(itemStarts[0]!)) + text.slice(endOf(end), endOf(to));
    const head = yamlLoad(rest);
    if (!isObject(head) || !String(head.kind).endsWith('List') || head.items !== null) {
      const raw = asObject(yamlLoad(docText));
      if (raw === false) return false;
      if (raw) objects.push({ raw, start: endOf(from), end: endOf(to), doc, inList: false, indent: 0 });
      return true;
    }
    // Trailing comments and blank lines after the last item belong to it, as to any item.
    for (const [k, s] of itemStarts.entries()) {
      const e = k + 1 < itemStarts.length ? itemStarts[k + 1]! : end;
      const piece = text.slice(endOf(s), endOf(e));
      const v = yamlLoad(piece);
      if (!Array.isArray(v) || v.length !== 1) return false;
      const raw = asObject(v[0]);
      if (raw === false) return false;
      if (raw) objects.push({ raw, start: endOf(s), end: endOf(e), doc, inList: true, indent });
    }
    list ??= { at: endOf(end), indent };
    return true;
  };
  for (let n = 0; n <= starts.length; n++) {
    const l = n < starts.length ? lineAt(n) : undefined;
    if (l !== undefined && !/^(?:---|\.\.\.)/.test(l)) continue;
    if (l !== undefined && l !== '---') return undefined;
    if (!flushDoc(first, n)) return undefined;
    doc++;
    first = n + 1;
  }
  return { format: 'yaml', objects, list, otherList };
}

/** End of the JSON value starting at i (a string, number, literal, object or array). */
function skipJson(t: string, i: number): number {
  let depth = 0;
  for (let p = i; p < t.length; p++) {
    const c = t[p];
    if (c === '"') {
      for (p++; t[p] !== '"'; p++) if (t[p] === '\\') p++;
      if (depth === 0) return p + 1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return p + 1;
      if (depth < 0) return p;
    } else if (depth === 0 && (c === ',' || /\s/.test(c!))) return p;
  }
  return t.length;
}

const skipSpace = (t: string, i: number): number => {
  while (/\s/.test(t[i] ?? '')) i++;
  return i;
};

function scanJson(text: string): Scan | undefined {
  const value = JSON.parse(text) as unknown;
  const objects: ScannedObject[] = [];
  const start = skipSpace(text, 0);
  if (isObject(value) && String(value.kind).endsWith('List') && Array.isArray(value.items)) {
    // The spans of the items: walk the top-level object's keys to "items" (the last one, as JSON.parse).
    let spans: [number, number][] = [];
    let p = skipSpace(text, start + 1);
    while (text[p] === '"') {
      const keyEnd = skipJson(text, p);
      const key = JSON.parse(text.slice(p, keyEnd)) as string;
      p = skipSpace(text, skipSpace(text, keyEnd) + 1);
      const valueEnd = skipJson(text, p);
      if (key === 'items' && text[p] === '[') {
        spans = [];
        let q = skipSpace(text, p + 1);
        while (text[q] !== ']') {
          const e = skipJson(text, q);
          spans.push([q, e]);
          q = skipSpace(text, e);
          if (text[q] === ',') q = skipSpace(text, q + 1);
        }
      }
      p = skipSpace(text, valueEnd);
      if (text[p] === ',') p = skipSpace(text, p + 1);
    }
    if (spans.length !== value.items.length) return undefined;
    for (const [k, item] of value.items.entries()) {
      const raw = asObject(item);
      if (raw === false) return undefined;
      const [s, e] = spans[k]!;
      if (raw) objects.push({ raw, start: s, end: e, doc: 0, inList: true, indent: 0 });
    }
    return { format: 'json', objects, otherList: true };
  }
  const raw = asObject(value);
  if (raw === false) return undefined;
  if (raw) objects.push({ raw, start, end: skipJson(text, start), doc: 0, inList: false, indent: 0 });
  return { format: 'json', objects, otherList: isObject(value) && String(value.kind).endsWith('List') };
}
