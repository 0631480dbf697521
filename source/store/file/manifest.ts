// A manifest file as `kubectl get secret,configmap -o yaml` (or `-o json`) writes it: a `kind: List`
// or a multi-document stream. Reading is one pass (manifestScan.ts); an edit re-parses only the
// edited object's text with the yaml package (which must read it exactly as the scan did), splices
// it, and parses the new piece once more to verify it. Files the scan leaves to the yaml package
// are parsed whole, edited whole and verified by one whole parse of the result.
import { StoreError } from '../errors.js';
import type { RawObject } from '../objects.js';
import { keepsItemBounds, reparsePiece, scanManifest, type Scan } from './manifestScan.js';
import { YamlManifest, contentHash, type YamlObject } from './yamlManifest.js';

export interface ManifestObject {
  kind: string;
  name: string;
  namespace?: string;
  raw: RawObject;
  /** Content hash of the object: the file store's resourceVersion. */
  rv: string;
  /** The object's text in the file. */
  start: number;
  end: number;
  inList: boolean;
  indent: number;
}

/** The text after an edit and the edited object as it reads back. */
export interface Edited {
  text: string;
  object: ManifestObject;
}

function objectOf(
  raw: RawObject,
  start: number,
  end: number,
  inList: boolean,
  indent: number,
): ManifestObject {
  return {
    kind: String(raw.kind),
    name: String(raw.metadata?.name),
    namespace: raw.metadata?.namespace,
    raw,
    rv: contentHash(raw),
    start,
    end,
    inList,
    indent,
  };
}

// A List item's text parses alone as the only item of a List with this head.
const ITEM_HEAD = { yaml: 'kind: List\nitems:\n', json: '{"kind": "List", "items": [' };
const ITEM_TAIL = { yaml: '', json: ']}' };

export class Manifest {
  private constructor(
    readonly text: string,
    readonly path: string,
    readonly objects: ManifestObject[],
    /** The single-pass scan, or undefined when the yaml package read the whole file. */
    private readonly scan: Scan | undefined,
    private whole: YamlManifest | undefined,
  ) {}

  static parse(text: string, path: string): Manifest {
    const scan = scanManifest(text);
    if (scan) {
      const objects = scan.objects.map((o) => objectOf(o.raw, o.start, o.end, o.inList, o.indent));
      return new Manifest(text, path, objects, scan, undefined);
    }
    const whole = YamlManifest.parse(text, path);
    const objects = whole.objects.map((o) => {
      const range = o.node.range ?? [0, 0, 0];
      return { ...objectOf(o.raw, range[0], range[2], o.inList, 0), rv: o.rv };
    });
    return new Manifest(text, path, objects, undefined, whole);
  }

  find(kind: string, name: string, namespace: string): ManifestObject | undefined {
    return this.objects.find(
      (o) => o.kind === kind && o.name === name && (o.namespace ?? namespace) === namespace,
    );
  }

  findAll(kind: string, name: string, namespace: string): ManifestObject[] {
    return this.objects.filter(
      (o) => o.kind === kind && o.name === name && (o.namespace ?? namespace) === namespace,
    );
  }

  /** 1-based line of an object's first character. */
  lineOf(o: ManifestObject): number {
    let line = 1;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < o.start; i = this.text.indexOf('\n', i + 1)) line++;
    return line;
  }

  private wholeManifest(): YamlManifest {
    this.whole ??= YamlManifest.parse(this.text, this.path);
    return this.whole;
  }

  /** The whole-file path: edit with the yaml package, then one parse of the result. */
  private editWhole(o: ManifestObject, run: (m: YamlManifest, y: YamlObject) => string): Edited {
    const m = this.wholeManifest();
    const y = m.objects.find(
      (c) => c.kind === o.kind && c.name === o.name && c.namespace === o.namespace && c.inList === o.inList,
    );
    if (!y) throw internal(`the yaml package does not find ${o.kind} ${o.name}`);
    return this.verified(run(m, y), o);
  }

  private verified(text: string, o: ManifestObject): Edited {
    const after = Manifest.parse(text, this.path).find(o.kind, o.name, o.namespace ?? '');
    if (!after) throw internal(`the edit lost ${o.kind} ${o.name}`);
    return { text, object: after };
  }

  /** Runs an edit on the object's own text; falls back to the whole file when the piece cannot. */
  private edit(o: ManifestObject, run: (m: YamlManifest, y: YamlObject) => string): Edited {
    const scan = this.scan;
    if (!scan) return this.editWhole(o, run);
    const head = o.inList ? ITEM_HEAD[scan.format] : '';
    const tail = o.inList ? ITEM_TAIL[scan.format] : '';
    let piece: string | undefined;
    try {
      const m = YamlManifest.parse(head + this.text.slice(o.start, o.end) + tail, this.path);
      const [y] = m.objects;
      // Both readers must agree on the object before its text is trusted to edit it.
      if (m.objects.length === 1 && y!.rv === o.rv) {
        const out = run(m, y!);
        if (out.startsWith(head) && out.endsWith(tail))
          piece = out.slice(head.length, out.length - tail.length);
      }
    } catch {
      piece = undefined;
    }
    if (piece !== undefined && o.inList && scan.format === 'yaml') piece = reindent(piece, o.indent);
    const raw = piece === undefined ? undefined : reparsePiece(scan.format, piece, o.inList);
    const bounded =
      piece !== undefined &&
      (scan.format === 'json' ||
        (o.inList ? keepsItemBounds(piece, o.indent) : !/^(?:---|\.\.\.)/m.test(piece)));
    if (!raw || !bounded) return this.editWhole(o, run);
    const text = this.text.slice(0, o.start) + piece + this.text.slice(o.end);
    const object = objectOf(raw, o.start, o.start + piece!.length, o.inList, o.indent);
    if (object.kind !== o.kind || object.name !== o.name || object.namespace !== o.namespace)
      return this.editWhole(o, run);
    return { text, object };
  }

  setSecretData(o: ManifestObject, changes: Record<string, string | null>): Edited {
    return this.edit(o, (m, y) => m.setSecretData(y, changes));
  }

  setAnnotation(o: ManifestObject, key: string, value: string): Edited {
    return this.edit(o, (m, y) => m.setAnnotation(y, key, value));
  }

  /** Adds an object at the end: a new item of the List, or a new document. */
  appendObject(body: Record<string, unknown>): Edited {
    const probe = objectOf(body as RawObject, 0, 0, false, 0);
    const scan = this.scan;
    if (scan?.format === 'yaml' && (scan.list || !scan.otherList)) {
      // The yaml package renders the new object alone; it goes in as text.
      const rendered = YamlManifest.parse('', this.path).appendObject(body);
      const crlf = /\r\n/.test(this.text);
      let insert: string;
      let at: number;
      if (scan.list) {
        const pad = ' '.repeat(scan.list.indent);
        const lines = rendered.replace(/\n$/, '').split('\n');
        insert =
          lines.map((l, i) => (i === 0 ? `${pad}- ${l}` : l === '' ? '' : `${pad}  ${l}`)).join('\n') + '\n';
        at = scan.list.at;
        if (at > 0 && this.text[at - 1] !== '\n') insert = `\n${insert}`;
      } else {
        at = this.text.length;
        insert = (this.text === '' ? '' : this.text.endsWith('\n') ? '---\n' : '\n---\n') + rendered;
      }
      if (crlf) insert = insert.replace(/\r?\n/g, '\r\n');
      return this.verified(this.text.slice(0, at) + insert + this.text.slice(at), probe);
    }
    return this.verified(this.wholeManifest().appendObject(body), probe);
  }

  removeObject(o: ManifestObject): string {
    let text: string;
    if (this.scan?.format === 'yaml') {
      let start = o.start;
      // A document goes with its `---` line.
      const marker = /(?:^|\n)---\r?\n$/.exec(this.text.slice(Math.max(0, start - 6), start));
      if (!o.inList && marker) start -= marker[0].replace(/^\n/, '').length;
      text = this.text.slice(0, start) + this.text.slice(o.end);
    } else {
      const m = this.wholeManifest();
      const y = m.objects.find((c) => c.kind === o.kind && c.name === o.name && c.namespace === o.namespace);
      if (!y) throw internal(`the yaml package does not find ${o.kind} ${o.name}`);
      text = m.removeObject(y);
    }
    const left = Manifest.parse(text, this.path).findAll(o.kind, o.name, o.namespace ?? '');
    if (left.length >= this.findAll(o.kind, o.name, o.namespace ?? '').length)
      throw internal(`the removal kept ${o.kind} ${o.name}`);
    return text;
  }
}

/** A re-rendered item starts at the column the yaml package chose: move it back to the List's. */
function reindent(piece: string, indent: number): string {
  const have = /^ */.exec(piece)![0].length;
  if (have === indent) return piece;
  if (have < indent) {
    const pad = ' '.repeat(indent - have);
    return piece.replace(/^(?=[^\r\n])/gm, pad);
  }
  const cut = new RegExp(`^ {${have - indent}}`, 'gm');
  return piece.replace(cut, '');
}

function internal(what: string): StoreError {
  return new StoreError('FileError', `internal error: ${what}; nothing was written`);
}
