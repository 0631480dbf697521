// The comment-preserving `config.yaml` of the `dex-config` Secret.
//
// Two parses of the same text: a YAML 1.2 Document that we edit and print (the yaml package's
// printer), and a YAML 1.1 one that shows what Dex (yaml.v2) sees, used for every read and for
// validation. The operator's text is returned unchanged until the first edit; an edit is carried
// over as a line-level three-way merge (dexTextMerge.ts) so it changes only the lines it must.
import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { applyEdit, editScope } from './dexEdits.js';
import { parseYaml, type ParsedYaml } from './dexParse.js';
import { mergeEdit } from './dexTextMerge.js';
import {
  DexConfigParseError,
  DexEditError,
  type Connector,
  type DexEdit,
  type StaticPassword,
} from './dexTypes.js';
import { detectStyle, goField, isPlainObject, keyOf, printDocument } from './dexYaml.js';
import {
  AliasExpansionError,
  expandAliases,
  expandAliasesAround,
  unprintableAnchor,
  type NodePath,
} from './yamlAliases.js';

export { DexConfigParseError, DexEditError } from './dexTypes.js';
export type { Connector, DexEdit, StaticPassword } from './dexTypes.js';

const FATAL = 'Dex refuses to start with it: every OIDC login fails.';

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

function lineOfIndex(parsed: ParsedYaml, index: number): number | undefined {
  const seq = parsed.doc.get('connectors', true);
  const node = isSeq(seq) ? (seq.items[index] as Node | undefined) : undefined;
  return node?.range ? parsed.lineCounter.linePos(node.range[0]).line : undefined;
}

/** Throws when the text is not a Dex config at all (as opposed to one with problems). */
function checkShape(parsed: ParsedYaml): void {
  const view = parsed.view;
  if (view === null || view === undefined) {
    throw new DexConfigParseError(
      'config.not-mapping',
      `config.yaml is empty: it must be a mapping with at least issuer: and storage:. ${FATAL}`,
    );
  }
  if (!isPlainObject(view)) {
    throw new DexConfigParseError(
      'config.not-mapping',
      `config.yaml must be a mapping (issuer:, storage:, connectors: ...), but its top level is ${kindOf(view)}. ${FATAL}`,
    );
  }
  const connectors = goField(view, 'connectors');
  if (connectors === undefined || connectors === null) return;
  if (!Array.isArray(connectors)) {
    throw new DexConfigParseError(
      'config.connectors-not-list',
      `connectors in config.yaml must be a list of entries (- type: ...), but it is ${kindOf(connectors)}. ${FATAL}`,
    );
  }
  connectors.forEach((entry, i) => {
    const line = lineOfIndex(parsed, i);
    const at = line ? ` (line ${line})` : '';
    if (!isPlainObject(entry)) {
      throw new DexConfigParseError(
        'config.connector-not-mapping',
        `connectors[${i}]${at} must be a mapping with type, id and name, but it is ${kindOf(entry)}. ${FATAL}`,
        line,
      );
    }
    for (const field of ['type', 'id', 'name']) {
      const value = goField(entry, field);
      if (value === undefined || value === null || value === '') {
        throw new DexConfigParseError(
          'config.connector-missing-field',
          `connectors[${i}]${at} has no ${field}: Dex requires type, id and name on every connector ("ID, Type and Name fields are required for a connector"). ${FATAL}`,
          line,
        );
      }
    }
  });
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

export interface DuplicateKey {
  /** Dotted path of the mapping holding the key twice, e.g. `connectors[0].config`. */
  path: string;
  key: string;
  line?: number;
}

function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

export class DexConfigDocument {
  private base?: string;

  private constructor(
    private text: string,
    private parsed: ParsedYaml,
  ) {}

  static parse(text: string): DexConfigDocument {
    const parsed = parseYaml(text, 'config.yaml', FATAL);
    checkShape(parsed);
    return new DexConfigDocument(text, parsed);
  }

  toString(): string {
    return this.text;
  }

  clone(): DexConfigDocument {
    // `parsed` is never mutated (apply works on a copy), so sharing it is safe.
    return new DexConfigDocument(this.text, this.parsed);
  }

  /** What Dex sees (YAML 1.1), as a deep copy. */
  dexView(): Record<string, unknown> {
    return structuredClone(this.parsed.view) as Record<string, unknown>;
  }

  get issuer(): string | undefined {
    return str(goField(this.root(), 'issuer'));
  }

  get enablePasswordDB(): boolean {
    return goField(this.root(), 'enablePasswordDB') === true;
  }

  connectors(): Connector[] {
    const list = goField(this.root(), 'connectors');
    if (!Array.isArray(list)) return [];
    return list.map((entry: Record<string, unknown>, index) => {
      const config = goField(entry, 'config');
      return {
        type: str(goField(entry, 'type')) ?? '',
        id: str(goField(entry, 'id')) ?? '',
        name: str(goField(entry, 'name')) ?? '',
        config: isPlainObject(config) ? structuredClone(config) : {},
        index,
      };
    });
  }

  connector(id: string): Connector | undefined {
    return this.connectors().find((c) => c.id === id);
  }

  /** The entry exactly as written (comments included), dedented, for editing in $EDITOR. */
  connectorYaml(id: string): string {
    const connector = this.connector(id);
    if (!connector)
      throw new DexEditError(
        'connector.not-found',
        `there is no connector with id "${id}" in config.yaml; reload to see the current connectors`,
      );
    const seq = this.parsed.doc.get('connectors', true);
    const node = isSeq(seq) ? (seq.items[connector.index] as Node) : undefined;
    if (!node?.range) throw new DexEditError('connector.not-found', `connector "${id}" has no source text`);
    const start = node.range[0];
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const column = start - lineStart;
    const slice = this.text.slice(start, node.range[2]).replace(/\s+$/, '');
    const lines = slice
      .split(/\r?\n/)
      .map((line, i) =>
        i === 0 ? line : line.slice(Math.min(column, line.length - line.trimStart().length)),
      );
    return `${lines.join('\n')}\n`;
  }

  staticPasswords(): StaticPassword[] {
    const list = this.root().staticPasswords;
    if (!Array.isArray(list)) return [];
    const out: StaticPassword[] = [];
    list.forEach((entry, index) => {
      if (!isPlainObject(entry)) return;
      const sp: StaticPassword = { email: str(entry.email) ?? '', index };
      for (const key of ['username', 'name', 'userID', 'hash', 'hashFromEnv'] as const) {
        const v = str(entry[key]);
        if (v !== undefined) sp[key] = v;
      }
      if (Array.isArray(entry.groups)) sp.groups = entry.groups.map((g) => String(g));
      out.push(sp);
    });
    return out;
  }

  /** Applies one edit; on error nothing changes. */
  apply(edit: DexEdit): void {
    try {
      this.applyUnguarded(edit);
    } catch (err) {
      // A document nested deeper than the printer can recurse (hostile input the parser still
      // accepted) is a refusal, not a crash.
      if (err instanceof RangeError) {
        throw new DexEditError(
          'edit.too-deep',
          `config.yaml is nested too deeply to be edited (${err.message}); nothing was changed`,
        );
      }
      const anchor = unprintableAnchor(err);
      if (anchor)
        throw new DexEditError(
          'edit.bad-anchor',
          `config.yaml cannot be edited: ${anchor}. Rename that anchor (&name) with letters, digits, - and _ only; nothing was changed`,
        );
      throw err;
    }
  }

  /** The edit made on a copy whose aliases are expanded around `scope` (everywhere without one). */
  private edited(edit: DexEdit, scope?: NodePath[]): Document {
    const work = this.parsed.doc.clone();
    try {
      if (scope) expandAliasesAround(work, scope);
      else expandAliases(work);
    } catch (err) {
      if (!(err instanceof AliasExpansionError)) throw err;
      throw new DexEditError('edit.aliases', `config.yaml cannot be edited here: ${err.message}`);
    }
    applyEdit(work, this.root(), edit);
    return work;
  }

  /**
   * The edit, keeping every alias it does not need to expand; only when keeping them means exactly
   * what expanding all of them means (the reference), else the reference.
   */
  private editedText(edit: DexEdit, style: ReturnType<typeof detectStyle>): string {
    const reference = printDocument(this.edited(edit), style);
    // No `*` in the text: no alias, and the reference expanded nothing.
    if (!this.text.includes('*')) return reference;
    try {
      const scoped = printDocument(this.edited(edit, editScope(this.root(), edit)), style);
      const meaning = (text: string) => parseYaml(text, 'config.yaml', FATAL).view;
      return scoped !== reference && isDeepStrictEqual(meaning(scoped), meaning(reference))
        ? scoped
        : reference;
    } catch {
      return reference;
    }
  }

  private applyUnguarded(edit: DexEdit): void {
    const style = detectStyle(this.text);
    const after = this.editedText(edit, style);
    this.base ??= printDocument(this.parsed.doc, style);
    if (after === this.base) return;
    let afterParsed: ParsedYaml;
    try {
      afterParsed = parseYaml(after, 'config.yaml', FATAL);
      checkShape(afterParsed);
    } catch (err) {
      throw new DexEditError(
        'edit.breaks-config',
        `this change would break config.yaml (${(err as Error).message}); nothing was changed`,
      );
    }
    const merged = mergeEdit(this.base, this.text, after);
    let next = { text: after, parsed: afterParsed };
    try {
      const mergedParsed = parseYaml(merged, 'config.yaml', FATAL);
      // The merge is only a formatting nicety: keep it only when it means exactly what the edit means.
      if (
        isDeepStrictEqual(mergedParsed.view, afterParsed.view) &&
        isDeepStrictEqual(mergedParsed.doc.toJS(), afterParsed.doc.toJS())
      ) {
        next = { text: merged, parsed: mergedParsed };
      }
    } catch {
      // fall back to the printed document
    }
    this.text = next.text;
    this.parsed = next.parsed;
    this.base = undefined;
  }

  /** Source text of a plain (unquoted) scalar at `path`, e.g. `yes` for a value Dex reads as true. */
  scalarSource(path: readonly (string | number)[]): { source: string; plain: boolean } | undefined {
    const node = this.parsed.dexDoc.getIn(path, true);
    if (!isScalar(node)) return undefined;
    const token = node.srcToken;
    const source =
      token && 'source' in token && typeof token.source === 'string' ? token.source : String(node.value);
    return { source, plain: node.type === 'PLAIN' };
  }

  /** 1-based line of the node at `path`, when known. */
  lineOf(path: readonly (string | number)[]): number | undefined {
    const node = this.parsed.doc.getIn(path, true) as Node | undefined;
    return node?.range ? this.parsed.lineCounter.linePos(node.range[0]).line : undefined;
  }

  /** Scalars with an explicit core tag (!!int, !!float, !!bool, !!null) whose text is not of that
   *  kind in YAML 1.1: yaml.v2 refuses them ("cannot decode !!str `abc` as a !!int") where the yaml
   *  package quietly keeps the text (found by the fuzzer through the real Dex). */
  mistaggedScalars(): { path: string; tag: string; source: string; line?: number }[] {
    // yaml.v2 also takes an integer for !!float (the yaml package keeps that text as a string).
    const fits: Record<string, (v: unknown, source: string) => boolean> = {
      'tag:yaml.org,2002:int': (v) => typeof v === 'number' && Number.isInteger(v),
      'tag:yaml.org,2002:float': (v, s) => typeof v === 'number' || /^[-+]?[0-9][0-9_]*$/.test(s),
      'tag:yaml.org,2002:bool': (v) => typeof v === 'boolean',
      'tag:yaml.org,2002:null': (v) => v === null,
    };
    const out: { path: string; tag: string; source: string; line?: number }[] = [];
    const walk = (node: unknown, path: string): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key = keyOf(pair);
          walk(pair.value, childPath(path, String(key ?? '?')));
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => walk(item, childPath(path, i)));
      } else if (isScalar(node) && node.tag && fits[node.tag]) {
        const token = node.srcToken;
        const source =
          token && 'source' in token && typeof token.source === 'string' ? token.source : String(node.value);
        if (fits[node.tag]!(node.value, source)) return;
        out.push({
          path,
          tag: `!!${node.tag.split(':').pop()}`,
          source,
          line: node.range ? this.parsed.lineCounter.linePos(node.range[0]).line : undefined,
        });
      }
    };
    walk(this.parsed.dexDoc.contents, '');
    return out;
  }

  /** Keys written twice in one mapping (Dex silently takes the last). */
  duplicateKeys(): DuplicateKey[] {
    const out: DuplicateKey[] = [];
    const walk = (node: unknown, path: string): void => {
      if (isMap(node)) {
        const seen = new Set<string>();
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key = keyOf(pair);
          const name =
            typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean'
              ? String(key)
              : undefined;
          if (name !== undefined) {
            if (seen.has(name)) {
              const range = isScalar(pair.key) ? pair.key.range : undefined;
              out.push({
                path,
                key: name,
                line: range ? this.parsed.lineCounter.linePos(range[0]).line : undefined,
              });
            }
            seen.add(name);
          }
          walk(pair.value, childPath(path, name ?? '?'));
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => walk(item, childPath(path, i)));
      }
    };
    walk(this.parsed.doc.contents, '');
    return out;
  }

  private root(): Record<string, unknown> {
    return this.parsed.view as Record<string, unknown>;
  }
}

/** Applies edits in order to config.yaml text; throws DexConfigParseError or DexEditError. */
export function applyDexEdits(text: string, edits: readonly DexEdit[]): string {
  const doc = DexConfigDocument.parse(text);
  for (const edit of edits) doc.apply(edit);
  return doc.toString();
}
