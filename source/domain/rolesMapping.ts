// The `rolesMapping` key of `dex-config` (epinio-formats.md §3), kept as a comment-preserving
// YAML document. Reading follows gopkg.in/yaml.v2 (what Epinio uses): YAML 1.1, unknown keys
// ignored, any scalar decodes into a string field as its text, and a shape that cannot decode
// into Epinio's structs makes the whole mapping fail.
import { isDeepStrictEqual } from 'node:util';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { Problem } from './problems.js';
import { yamlV2RefusedCharacter } from './yamlV2.js';
import {
  applyEditToDocument,
  mappingEditScope,
  MappingEditError,
  renderMinimalChange,
  type MappingEdit,
} from './mappingEdits.js';
import {
  AliasExpansionError,
  expandAliases,
  expandAliasesAround,
  unprintableAnchor,
  type NodePath,
} from './yamlAliases.js';

export { MappingEditError, type MappingEdit } from './mappingEdits.js';
import type { MappingEntry, MappingFormat, MappingGroup, Semantics } from './mappingTypes.js';
export type { MappingEntry, MappingFormat, MappingGroup, Semantics } from './mappingTypes.js';

/** What the raw YAML holds besides the decoded values, for validation (misspelled keys, non-strings, duplicates). */
export interface RawScalarInfo {
  text: string;
  /** True when YAML 1.1 reads it as something other than a string (yes, 123, null...). */
  notString: boolean;
}
export interface RawGroup {
  keys: string[];
  id?: RawScalarInfo;
  roles?: RawScalarInfo[];
  role?: RawScalarInfo;
}
export interface RawEntry {
  keys: string[];
  connectorId?: RawScalarInfo;
  groups: RawGroup[];
}

export const PARSE_OPTIONS = { version: '1.1', uniqueKeys: false, prettyErrors: true } as const;

const CONSEQUENCE =
  "Epinio cannot parse rolesMapping: every OIDC (Bearer) request fails with 500 'error getting OIDC provider'; local logins still work.";
export const CONVERT_FIX = 'mapping.convert-to-modern';

interface Analysis {
  fatal: Problem[];
  format: MappingFormat;
  entries: MappingEntry[];
  raw: RawEntry[];
}

export function deref(doc: Document, node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 16 && isAlias(n); i++) n = n.resolve(doc);
  return n;
}

export function scalarInfo(node: unknown): RawScalarInfo {
  if (!isScalar(node)) return { text: '', notString: false };
  if (node.value === null || node.value === undefined) return { text: '', notString: true };
  // yaml.v2 decodes a non-string scalar into a string field as its source text.
  const text =
    typeof node.value === 'string'
      ? node.value
      : typeof node.source === 'string'
        ? node.source
        : String(node.value);
  return { text, notString: typeof node.value !== 'string' };
}

function keyText(node: unknown): string {
  return isScalar(node) ? String(node.value) : '';
}

function fatalProblem(code: string, path: string, what: string, fix?: string): Problem {
  return { severity: 'error', code, path, message: `${what}. ${CONSEQUENCE}`, ...(fix ? { fix } : {}) };
}

/** yaml.v2 refuses an alias whose anchor is not defined before it ("unknown anchor"); the yaml
 *  package only fails later, when the alias is rendered (found by the fuzzer). */
function unresolvedAlias(doc: Document, lineCounter: LineCounter): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) !== undefined) return undefined;
      const pos = alias.range ? lineCounter.linePos(alias.range[0]) : undefined;
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      found = `rolesMapping is not valid YAML${where} (unknown anchor '${alias.source}' referenced)`;
      return visit.BREAK;
    },
  });
  return found;
}

function analyze(doc: Document, lineCounter: LineCounter, text: string): Analysis {
  const empty = (fatal: Problem[]): Analysis => ({ fatal, format: 'empty', entries: [], raw: [] });
  const refused = yamlV2RefusedCharacter(text);
  if (refused)
    return empty([
      fatalProblem(
        'mapping.control-character',
        'rolesMapping',
        `rolesMapping contains the control character ${refused.code} at line ${refused.line}, which Epinio's YAML reader does not accept anywhere, not even in a comment ("control characters are not allowed"); remove it`,
      ),
    ]);
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    const where = err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return empty([
      fatalProblem('mapping.syntax', 'rolesMapping', `rolesMapping is not valid YAML${where} (${reason})`),
    ]);
  }
  const dangling = unresolvedAlias(doc, lineCounter);
  if (dangling) return empty([fatalProblem('mapping.syntax', 'rolesMapping', dangling)]);
  const root = deref(doc, doc.contents);
  if (root === null || root === undefined) return empty([]);
  if (isScalar(root)) {
    if (root.value === null) return empty([]);
    return empty([
      fatalProblem(
        'mapping.not-a-list',
        'rolesMapping',
        'rolesMapping is a single value, not a list of connector entries',
      ),
    ]);
  }
  if (isMap(root)) {
    return empty([
      fatalProblem(
        'mapping.map-form',
        'rolesMapping',
        'rolesMapping is a map ("group": [roles]); only the list form (- connectorId: ..., groups: [...]) parses',
        CONVERT_FIX,
      ),
    ]);
  }
  if (!isSeq(root))
    return empty([fatalProblem('mapping.not-a-list', 'rolesMapping', 'rolesMapping is not a list')]);

  const fatal: Problem[] = [];
  const entries: MappingEntry[] = [];
  const raw: RawEntry[] = [];
  let hasRoles = false;
  let hasRole = false;
  root.items.forEach((itemNode, i) => {
    const path = `rolesMapping[${i}]`;
    const item = deref(doc, itemNode);
    const entry: MappingEntry = { connectorId: '', groups: [] };
    const rawEntry: RawEntry = { keys: [], groups: [] };
    entries.push(entry);
    raw.push(rawEntry);
    if (item === null || (isScalar(item) && item.value === null)) return;
    if (!isMap(item)) {
      fatal.push(
        fatalProblem('mapping.entry-not-map', path, `${path} is not a map with connectorId and groups`),
      );
      return;
    }
    for (const pair of item.items) {
      const key = keyText(pair.key);
      rawEntry.keys.push(key);
      const value = deref(doc, pair.value);
      if (key === 'connectorId') {
        if (value !== null && value !== undefined && !isScalar(value)) {
          fatal.push(
            fatalProblem(
              'mapping.bad-shape',
              `${path}.connectorId`,
              `${path}.connectorId is not a single value`,
            ),
          );
          continue;
        }
        rawEntry.connectorId = scalarInfo(value);
        entry.connectorId = rawEntry.connectorId.text;
      } else if (key === 'groups') {
        entry.groups = [];
        rawEntry.groups = [];
        if (value === null || value === undefined || (isScalar(value) && value.value === null)) continue;
        if (!isSeq(value)) {
          fatal.push(fatalProblem('mapping.not-a-list', `${path}.groups`, `${path}.groups is not a list`));
          continue;
        }
        value.items.forEach((groupNode, g) => {
          const gpath = `${path}.groups[${g}]`;
          const group: MappingGroup = { id: '', roles: [] };
          const rawGroup: RawGroup = { keys: [] };
          entry.groups.push(group);
          rawEntry.groups.push(rawGroup);
          const gnode = deref(doc, groupNode);
          if (gnode === null || (isScalar(gnode) && gnode.value === null)) return;
          if (!isMap(gnode)) {
            fatal.push(fatalProblem('mapping.bad-shape', gpath, `${gpath} is not a map with id and roles`));
            return;
          }
          for (const gp of gnode.items) {
            const gk = keyText(gp.key);
            rawGroup.keys.push(gk);
            const gv = deref(doc, gp.value);
            if (gk === 'id') {
              if (gv !== null && gv !== undefined && !isScalar(gv)) {
                fatal.push(
                  fatalProblem('mapping.bad-shape', `${gpath}.id`, `${gpath}.id is not a single value`),
                );
                continue;
              }
              rawGroup.id = scalarInfo(gv);
              group.id = rawGroup.id.text;
            } else if (gk === 'roles') {
              hasRoles = true;
              group.roles = [];
              rawGroup.roles = [];
              if (gv === null || gv === undefined || (isScalar(gv) && gv.value === null)) continue;
              if (isScalar(gv)) {
                fatal.push(
                  fatalProblem(
                    'mapping.scalar-roles',
                    `${gpath}.roles`,
                    `${gpath}.roles is a single value (${JSON.stringify(scalarInfo(gv).text)}), not a list such as ["admin"]`,
                    CONVERT_FIX,
                  ),
                );
                continue;
              }
              if (!isSeq(gv)) {
                fatal.push(
                  fatalProblem('mapping.not-a-list', `${gpath}.roles`, `${gpath}.roles is not a list`),
                );
                continue;
              }
              gv.items.forEach((rn, r) => {
                const rv = deref(doc, rn);
                if (rv !== null && rv !== undefined && !isScalar(rv)) {
                  fatal.push(
                    fatalProblem(
                      'mapping.bad-shape',
                      `${gpath}.roles[${r}]`,
                      `${gpath}.roles[${r}] is not a single value`,
                    ),
                  );
                  return;
                }
                const info = scalarInfo(rv);
                rawGroup.roles!.push(info);
                group.roles.push(info.text);
              });
            } else if (gk === 'role') {
              hasRole = true;
              if (gv !== null && gv !== undefined && !isScalar(gv)) {
                fatal.push(
                  fatalProblem('mapping.bad-shape', `${gpath}.role`, `${gpath}.role is not a single value`),
                );
                continue;
              }
              rawGroup.role = scalarInfo(gv);
              group.legacyRole = rawGroup.role.text;
            }
          }
        });
      }
    }
  });
  if (fatal.length) return { fatal, format: 'empty', entries: [], raw: [] };
  const format: MappingFormat =
    entries.length === 0 ? 'empty' : hasRole && hasRoles ? 'mixed' : hasRole ? 'legacy' : 'modern';
  return { fatal, format, entries, raw };
}

export class RolesMappingDocument {
  private analysis: Analysis;
  /** The text after the edits (set by apply). */
  private rendered = '';

  private constructor(
    private readonly original: string,
    private doc: Document,
    private dirty: boolean,
    private readonly lines: LineCounter,
  ) {
    this.analysis = analyze(doc, lines, original);
  }

  /** Never throws: a mapping Epinio cannot parse yields `fatal` problems instead. */
  static parse(text: string): RolesMappingDocument {
    const lines = new LineCounter();
    const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines }) as Document;
    return new RolesMappingDocument(text, doc, false, lines);
  }

  get format(): MappingFormat {
    return this.analysis.format;
  }

  get fatal(): Problem[] {
    return this.analysis.fatal.map((p) => ({ ...p }));
  }

  entries(): MappingEntry[] {
    return this.analysis.entries.map((e) => ({
      connectorId: e.connectorId,
      groups: e.groups.map((g) => ({ ...g, roles: [...g.roles] })),
    }));
  }

  /** The decoded keys and scalar types, for validation only. */
  rawEntries(): RawEntry[] {
    return structuredClone(this.analysis.raw);
  }

  /** All or nothing: the edit is made and printed on a copy, which replaces the document only when
   *  both succeed, so a refused edit leaves the document as it was. */
  apply(edit: MappingEdit): void {
    if (this.analysis.fatal.length && edit.op !== 'fix.convertToModern') {
      throw new MappingEditError(
        `rolesMapping cannot be edited while Epinio cannot parse it (${this.analysis.fatal[0]!.message.split('. ')[0]}); apply the conversion fix or correct it in the editor first`,
      );
    }
    if (
      edit.op === 'fix.convertToModern' &&
      this.analysis.fatal.some((p) => p.code !== 'mapping.map-form' && p.code !== 'mapping.scalar-roles')
    ) {
      throw new MappingEditError(
        'rolesMapping has errors the conversion cannot fix (YAML syntax or a broken shape); correct them in the editor first',
      );
    }
    const attempt = (scope?: NodePath[]): { work: Document; text: string } => {
      const work = this.doc.clone();
      if (scope) expandAliasesAround(work, scope);
      else expandAliases(work);
      applyEditToDocument(work, edit, this.analysis.entries);
      return { work, text: renderMinimalChange(this.original, work) };
    };
    let work: Document;
    let text: string;
    try {
      ({ work, text } = attempt());
      // Keep the aliases the edit does not need to expand, when that means exactly the same.
      const scope = mappingEditScope(edit, this.analysis.entries);
      if (scope && this.toString().includes('*')) {
        try {
          const scoped = attempt(scope);
          const meaning = (t: string): unknown => {
            const d = parseDocument(t, PARSE_OPTIONS);
            if (d.errors.length) throw d.errors[0]!;
            return d.toJS({ maxAliasCount: 1000 });
          };
          if (scoped.text !== text && isDeepStrictEqual(meaning(scoped.text), meaning(text)))
            ({ work, text } = scoped);
        } catch {
          // The full expansion stands.
        }
      }
    } catch (err) {
      if (err instanceof AliasExpansionError)
        throw new MappingEditError(`rolesMapping cannot be edited here: ${err.message}`);
      // Nested deeper than the printer can recurse (hostile input the parser still accepted; found
      // by the fuzzer): a refusal, not a crash.
      if (err instanceof RangeError)
        throw new MappingEditError(
          `rolesMapping is nested too deeply to be edited (${err.message}); nothing was changed`,
        );
      const anchor = unprintableAnchor(err);
      if (anchor)
        throw new MappingEditError(
          `rolesMapping cannot be edited: ${anchor}. Rename that anchor (&name) with letters, digits, - and _ only; nothing was changed`,
        );
      throw err;
    }
    this.doc = work;
    this.rendered = text;
    this.dirty = true;
    this.analysis = analyze(work, this.lines, text);
  }

  /** Untouched => the input text byte for byte; edited => only the lines the edits changed differ. */
  toString(): string {
    return this.dirty ? this.rendered : this.original;
  }

  clone(): RolesMappingDocument {
    const copy = new RolesMappingDocument(this.original, this.doc.clone(), this.dirty, this.lines);
    copy.rendered = this.rendered;
    return copy;
  }
}

export function applyMappingEdits(text: string, edits: readonly MappingEdit[]): string {
  const doc = RolesMappingDocument.parse(text);
  for (const edit of edits) doc.apply(edit);
  return doc.toString();
}

function parseVersion(v: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Epinio ≥ 1.11 evaluates `roles:` lists; older servers the singular `role:`. Unknown version: trust the format. */
export function detectSemantics(epinioVersion: string | undefined, format: MappingFormat): Semantics {
  const v = epinioVersion ? parseVersion(epinioVersion) : undefined;
  if (v) return v[0] > 1 || (v[0] === 1 && v[1] >= 11) ? 'modern' : 'legacy';
  return format === 'legacy' ? 'legacy' : 'modern';
}
