// A manifest parsed whole with the yaml package's Document API: the reference reader (its errors
// name the line) and the editor. Edits splice the source text at the yaml nodes' ranges, so every
// other byte — comments, other objects, their order, quoting, line endings — stays as it was; when a
// splice cannot express an edit, the Document API re-renders the object's document instead.
// manifest.ts runs it on one object's text (the fast path) or on the whole file.
import { createHash } from 'node:crypto';
import {
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  stringify,
  type Document,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { StoreError } from '../errors.js';
import { encodeBase64, type RawObject } from '../objects.js';

export interface YamlObject {
  kind: string;
  name: string;
  namespace?: string;
  node: YAMLMap;
  doc: number;
  /** Set when the object is an item of a `kind: List`. */
  inList: boolean;
  raw: RawObject;
  /** Content hash of the object: the file store's resourceVersion. */
  rv: string;
}

type Splice = { start: number; end: number; text: string };

const YAML11_SPECIAL =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(?:\d[\d_]*)?\.?\d*(?:[eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** A flow scalar: plain when unambiguous in YAML 1.1 and 1.2, else double-quoted (JSON is valid YAML). */
export function renderFlowScalar(value: string): string {
  if (
    value !== '' &&
    /^[A-Za-z0-9+/=._@-]+$/.test(value) &&
    !YAML11_SPECIAL.test(value) &&
    !/^[-.]/.test(value)
  )
    return value;
  return JSON.stringify(value);
}

/** A literal block scalar whose content lines are indented by `indent`; undefined when not representable. */
export function renderBlockLiteral(value: string, indent: string): string | undefined {
  if (!value.includes('\n') || value.trim() === '') return undefined;
  if (/[\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(value))
    return undefined;
  const lines = value.split('\n');
  const firstContent = lines.find((l) => l !== '');
  // The first content line decides the block's indentation: it must not start with white space,
  // and no blank line before it may carry spaces.
  if (!firstContent || /^[ \t]/.test(firstContent)) return undefined;
  if (lines.slice(0, lines.indexOf(firstContent)).some((l) => l !== '')) return undefined;
  let header: string;
  let body: string[];
  if (value.endsWith('\n\n')) {
    header = '|+';
    body = lines.slice(0, -1);
  } else if (value.endsWith('\n')) {
    header = '|';
    body = lines.slice(0, -1);
  } else {
    header = '|-';
    body = lines;
  }
  return `${header}\n${body.map((l) => (l === '' ? '' : indent + l)).join('\n')}\n`;
}

/** Content hash of an object: the file store's resourceVersion. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function columnOf(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

/** End of the line containing pos-1 (just after its newline), for ranges that stop mid-line. */
function toLineEnd(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : nl + 1;
}

const MAP_FIELDS = [
  ['metadata'],
  ['metadata', 'labels'],
  ['metadata', 'annotations'],
  ['data'],
  ['stringData'],
];

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

/**
 * The fields the store reads from a Secret or ConfigMap must have the types the API server would
 * insist on: a `data: |` block (a string) would otherwise be read as one key per character. The
 * error names the object, the field and its line, and nothing is loaded.
 */
function checkShape(node: YAMLMap, raw: RawObject, text: string, path: string): void {
  if (raw.kind !== 'Secret' && raw.kind !== 'ConfigMap') return;
  const fail = (field: string, what: string, at: unknown): never => {
    const range = (at as { range?: [number, number, number] } | null)?.range;
    const line = range ? ` (line ${text.slice(0, range[0]).split('\n').length})` : '';
    throw new StoreError(
      'FileError',
      `${path}: ${raw.kind} ${JSON.stringify(String(raw.metadata?.name))}: ${field} is ${what}${line}`,
      'fix the file (kubectl would refuse this object too), or load another one with --file',
    );
  };
  if (typeof raw.metadata?.name !== 'string')
    fail(
      'metadata.name',
      `${describeValue(raw.metadata?.name)}, not a string`,
      node.getIn(['metadata', 'name'], true),
    );
  for (const fieldPath of MAP_FIELDS) {
    let value: unknown = raw;
    for (const key of fieldPath) value = (value as Record<string, unknown> | undefined)?.[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value))
      fail(fieldPath.join('.'), `${describeValue(value)}, not a map`, node.getIn(fieldPath, true));
  }
}

export class YamlManifest {
  private constructor(
    readonly text: string,
    readonly docs: Document.Parsed[],
    readonly objects: YamlObject[],
  ) {}

  static parse(text: string, path: string): YamlManifest {
    const docs = parseAllDocuments(text, { keepSourceTokens: false });
    const objects: YamlObject[] = [];
    const list = Array.isArray(docs) ? docs : [docs];
    for (const [i, doc] of list.entries()) {
      if (doc.errors.length) {
        const e = doc.errors[0];
        const at = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
        throw new StoreError(
          'FileError',
          `${path} is not valid YAML${at}: ${e.message.split('\n')[0]}`,
          'fix the file, or load another one with --file',
        );
      }
      const root = doc.contents;
      if (!isMap(root)) continue;
      const add = (node: YAMLMap, inList: boolean) => {
        const raw = node.toJSON() as RawObject;
        if (!raw || typeof raw !== 'object' || !raw.kind || !raw.metadata?.name) return;
        checkShape(node, raw, text, path);
        objects.push({
          kind: raw.kind,
          name: raw.metadata.name,
          namespace: raw.metadata.namespace,
          node,
          doc: i,
          inList,
          raw,
          rv: contentHash(raw),
        });
      };
      const kind = String(root.toJSON()?.kind ?? '');
      const items = root.get('items', true);
      if (kind.endsWith('List') && isSeq(items)) {
        if (isSeq(items)) for (const it of items.items) if (isMap(it)) add(it, true);
      } else {
        add(root, false);
      }
    }
    return new YamlManifest(text, list, objects);
  }

  find(kind: string, name: string, namespace: string): YamlObject | undefined {
    return this.objects.find(
      (o) => o.kind === kind && o.name === name && (o.namespace ?? namespace) === namespace,
    );
  }

  // ---- text edits -------------------------------------------------------------------------

  /** The file's line ending: new text follows it (a CRLF file stays CRLF). */
  private eol(text: string): string {
    return this.crlf ? text.replace(/\r?\n/g, '\r\n') : text;
  }

  private get crlf(): boolean {
    const nl = this.text.indexOf('\n');
    return nl > 0 && this.text[nl - 1] === '\r';
  }

  private apply(splices: Splice[]): string {
    let text = this.text;
    // Back to front so earlier offsets stay valid; stable for inserts at the same position.
    const sorted = splices.map((s, i) => ({ ...s, i })).sort((a, b) => b.start - a.start || b.i - a.i);
    for (const s of sorted) text = text.slice(0, s.start) + this.eol(s.text) + text.slice(s.end);
    return text;
  }

  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
  }

  /** Replacement text for an existing scalar value node, in its own style. */
  private replaceScalar(
    pair: Pair,
    value: string,
    kind: 'base64' | 'text',
    flow: boolean,
  ): Splice | undefined {
    const node = pair.value;
    if (!isScalar(node) || !node.range || !isScalar(pair.key) || !pair.key.range) return undefined;
    let text: string;
    // In a flow map (a JSON file), a JSON string: valid there in YAML and in JSON.
    if (flow)
      return node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED'
        ? undefined
        : {
            start: node.range[0],
            end: node.range[1],
            text: JSON.stringify(value),
          };
    if (kind === 'base64') {
      text =
        node.type === 'QUOTE_DOUBLE'
          ? JSON.stringify(value)
          : node.type === 'QUOTE_SINGLE'
            ? `'${value}'`
            : renderFlowScalar(value);
    } else {
      const keyCol = columnOf(this.text, pair.key.range[0]);
      const block = value.includes('\n')
        ? renderBlockLiteral(value, this.blockIndent(node.range[0], keyCol))
        : undefined;
      text = block ?? renderFlowScalar(value);
      // A block scalar's range ends after its newline; a flow scalar's value range does not.
      if (!block && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) text += '\n';
      else if (block && !(node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) {
        return { start: node.range[0], end: toLineEnd(this.text, node.range[2]), text: block };
      }
    }
    return { start: node.range[0], end: node.range[1], text };
  }

  /** The indentation of an existing block scalar's content, or the key column + 2. */
  private blockIndent(valueStart: number, keyCol: number): string {
    const nl = this.text.indexOf('\n', valueStart);
    const m = nl === -1 ? null : /^( *)\S/m.exec(this.text.slice(nl + 1));
    const existing = m ? m[1].length : 0;
    return ' '.repeat(existing > keyCol ? existing : keyCol + 2);
  }

  /** Appends `key: value` to a map; `render` gets the block map's indentation, or undefined for a
   *  flow map. (Not '' for flow: a top-level block map's indentation is '', and a flow value there
   *  ran into the next line, e.g. `data: {...}---`, found by the fuzzer.) */
  private addPair(
    map: YAMLMap,
    key: string,
    render: (indent: string | undefined) => string,
  ): Splice | undefined {
    if (map.flow) return this.addFlowPair(map, key, render(undefined));
    if (!map.items.length) return undefined;
    const first = map.items[0];
    const last = map.items[map.items.length - 1];
    if (!isScalar(first.key) || !first.key.range) return undefined;
    const indent = ' '.repeat(columnOf(this.text, first.key.range[0]));
    const end =
      (last.value as { range?: [number, number, number] } | null)?.range?.[2] ??
      (last.key as { range?: [number, number, number] }).range?.[2];
    if (end === undefined) return undefined;
    const at = toLineEnd(this.text, end);
    const prefix = at > 0 && this.text[at - 1] !== '\n' ? '\n' : '';
    const value = render(indent);
    // A nested block starts on the next line: no space after the colon.
    const sep = value.startsWith('\n') ? ':' : ': ';
    return { start: at, end: at, text: `${prefix}${indent}${renderFlowScalar(key)}${sep}${value}` };
  }

  /** `, key: value` before a flow map's closing brace, in JSON syntax (a JSON file stays JSON). */
  private addFlowPair(map: YAMLMap, key: string, rendered: string): Splice | undefined {
    const close = map.range ? map.range[1] - 1 : -1;
    if (close < 0 || this.text[close] !== '}') return undefined;
    const value = rendered.trim();
    // Only single-line values: a nested block map or a block scalar has no flow form here.
    if (value === '' || value.includes('\n') || value.startsWith('|')) return undefined;
    const sep = map.items.length ? ', ' : '';
    return { start: close, end: close, text: `${sep}${JSON.stringify(key)}: ${value}` };
  }

  private removePair(map: YAMLMap, pair: Pair): Splice | undefined {
    if (map.flow || !isScalar(pair.key) || !pair.key.range) return undefined;
    const end = (pair.value as { range?: [number, number, number] } | null)?.range?.[2] ?? pair.key.range[2];
    return { start: lineStart(this.text, pair.key.range[0]), end: toLineEnd(this.text, end), text: '' };
  }

  private valueText(value: string, kind: 'base64' | 'text', indent: string | undefined): string {
    // In a flow map (no indent), a JSON string: valid YAML and valid JSON.
    if (indent === undefined) return JSON.stringify(kind === 'base64' ? encodeBase64(value) : value);
    if (kind === 'base64') return `${renderFlowScalar(encodeBase64(value))}\n`;
    return renderBlockLiteral(value, indent + '  ') ?? `${renderFlowScalar(value)}\n`;
  }

  /** Splices for setting (or deleting, null) string entries of a map field (`data`, `stringData`,
   *  `metadata.annotations`); undefined when a splice cannot express it. */
  private mapEdits(
    parent: YAMLMap,
    field: string,
    entries: [string, string | null][],
    kind: 'base64' | 'text',
  ): Splice[] | undefined {
    const splices: Splice[] = [];
    const fieldPair = this.pairOf(parent, field);
    const map = fieldPair?.value;
    const adds: [string, string][] = [];
    for (const [key, value] of entries) {
      const pair = isMap(map) ? this.pairOf(map, key) : undefined;
      if (value === null) {
        if (!pair) continue;
        const s = this.removePair(map as YAMLMap, pair);
        if (!s) return undefined;
        splices.push(s);
      } else if (pair) {
        const s = this.replaceScalar(
          pair,
          kind === 'base64' ? encodeBase64(value) : value,
          kind,
          (map as YAMLMap).flow === true,
        );
        if (!s) return undefined;
        splices.push(s);
      } else {
        adds.push([key, value]);
      }
    }
    if (!adds.length) return splices;
    if (isMap(map) && map.items.length) {
      for (const [key, value] of adds) {
        const s = this.addPair(map, key, (indent) => this.valueText(value, kind, indent));
        if (!s) return undefined;
        splices.push(s);
      }
      return splices;
    }
    // The field is missing (or empty): write it as a new nested block map.
    if (fieldPair && !(map === null || (isScalar(map) && map.value === null))) return undefined;
    if (fieldPair) {
      const s = this.removePair(parent, fieldPair);
      if (!s) return undefined;
      splices.push(s);
    }
    const s = this.addPair(parent, field, (indent) => {
      if (indent === undefined)
        return `{${adds.map(([k, v]) => `${JSON.stringify(k)}: ${this.valueText(v, kind, undefined)}`).join(', ')}}`;
      const inner = indent + '  ';
      return (
        '\n' +
        adds.map(([k, v]) => `${inner}${renderFlowScalar(k)}: ${this.valueText(v, kind, inner)}`).join('')
      );
    });
    if (!s) return undefined;
    splices.push(s);
    return splices;
  }

  /** Sets Secret data keys (null deletes), each in the field the key already lives in. */
  setSecretData(obj: YamlObject, changes: Record<string, string | null>): string {
    const hasStringData = isMap(obj.node.get('stringData', true));
    const hasData = isMap(obj.node.get('data', true));
    const dataEdits: [string, string | null][] = [];
    const stringEdits: [string, string | null][] = [];
    for (const [key, value] of Object.entries(changes)) {
      const inString = obj.raw.stringData ? key in obj.raw.stringData : false;
      const inData = obj.raw.data ? key in obj.raw.data : false;
      if (value === null) {
        if (inString) stringEdits.push([key, null]);
        if (inData) dataEdits.push([key, null]);
      } else if (inString || (!inData && hasStringData && !hasData)) {
        // stringData wins over data when both hold the key, so it is the one to write.
        stringEdits.push([key, value]);
      } else {
        dataEdits.push([key, value]);
      }
    }
    const splices = [
      ...(dataEdits.length ? (this.mapEdits(obj.node, 'data', dataEdits, 'base64') ?? [null]) : []),
      ...(stringEdits.length ? (this.mapEdits(obj.node, 'stringData', stringEdits, 'text') ?? [null]) : []),
    ];
    if (splices.every((s) => s !== null)) return this.apply(splices as Splice[]);
    return this.rerender(obj, (node) => {
      for (const [k, v] of dataEdits) {
        if (v === null) node.deleteIn(['data', k]);
        else node.setIn(['data', k], encodeBase64(v));
      }
      for (const [k, v] of stringEdits) {
        if (v === null) node.deleteIn(['stringData', k]);
        else node.setIn(['stringData', k], v);
      }
    });
  }

  setAnnotation(obj: YamlObject, key: string, value: string): string {
    const meta = obj.node.get('metadata', true);
    const splices = isMap(meta) ? this.mapEdits(meta, 'annotations', [[key, value]], 'text') : undefined;
    if (splices) return this.apply(splices);
    return this.rerender(obj, (node) => node.setIn(['metadata', 'annotations', key], value));
  }

  /** Adds an object at the end: a new List item, or a new document. */
  appendObject(object: Record<string, unknown>): string {
    const body = stringify(object, { lineWidth: 0 });
    const listDoc = this.docs.find(
      (d) =>
        isMap(d.contents) &&
        isSeq(d.contents.get('items', true)) &&
        String(d.contents.get('kind')).endsWith('List'),
    );
    if (listDoc) {
      const items = (listDoc.contents as YAMLMap).get('items', true);
      if (isSeq(items) && !items.flow && items.items.length && items.range) {
        const firstItem = items.items[0] as { range?: [number, number, number] };
        const dashCol = firstItem.range
          ? this.text.lastIndexOf('-', firstItem.range[0]) - lineStart(this.text, firstItem.range[0])
          : 0;
        const pad = ' '.repeat(Math.max(0, dashCol));
        const lines = body.replace(/\n$/, '').split('\n');
        const text =
          lines.map((l, i) => (i === 0 ? `${pad}- ${l}` : l === '' ? '' : `${pad}  ${l}`)).join('\n') + '\n';
        const at = toLineEnd(this.text, items.range[2]);
        const prefix = at > 0 && this.text[at - 1] !== '\n' ? '\n' : '';
        return this.apply([{ start: at, end: at, text: prefix + text }]);
      }
      if (isSeq(items)) {
        items.add(listDoc.createNode(object));
        return this.eol(this.docs.map((d) => d.toString({ lineWidth: 0 })).join(''));
      }
    }
    const sep = this.text === '' ? '' : this.text.endsWith('\n') ? '---\n' : '\n---\n';
    return this.text + this.eol(sep + body);
  }

  removeObject(obj: YamlObject): string {
    const doc = this.docs[obj.doc];
    if (obj.inList) {
      const items = (doc.contents as YAMLMap).get('items', true);
      if (isSeq(items) && !items.flow && obj.node.range) {
        const idx = items.items.indexOf(obj.node);
        const start = lineStart(this.text, obj.node.range[0]);
        const next = items.items[idx + 1] as { range?: [number, number, number] } | undefined;
        const end = next?.range
          ? lineStart(this.text, next.range[0])
          : toLineEnd(this.text, obj.node.range[2]);
        return this.apply([{ start, end, text: '' }]);
      }
      if (isSeq(items)) items.delete(items.items.indexOf(obj.node));
      return this.eol(this.docs.map((d) => d.toString({ lineWidth: 0 })).join(''));
    }
    // A whole document: from its start (or its `---`) to the next document.
    const [start, , end] = doc.range;
    const markerAt = this.text.lastIndexOf('---', start);
    const from =
      markerAt !== -1 &&
      this.text.slice(markerAt, start).trim().startsWith('---') &&
      lineStart(this.text, markerAt) === markerAt
        ? markerAt
        : start;
    return this.apply([{ start: from, end, text: '' }]);
  }

  /** Fallback: edit the Document model and re-render (only the edited object's document changes). */
  private rerender(obj: YamlObject, edit: (node: YAMLMap) => void): string {
    edit(obj.node);
    const doc = this.docs[obj.doc];
    const [start, , end] = doc.range;
    const rendered = this.eol(doc.toString({ lineWidth: 0 }));
    // Document.toString() re-emits the document's leading comment and marker; replace the whole span.
    const from = obj.doc === 0 ? 0 : Math.max(0, this.docs[obj.doc - 1].range[2]);
    void start;
    return this.text.slice(0, from) + rendered + this.text.slice(end);
  }
}
