// The connector form, generated from the type's schema: one row per field, nested objects (LDAP
// userSearch, GitHub orgs, user matchers) as indented sub-fields and list items, enums and
// booleans as pickers; inline validation and warnings; and the DexEdit operations a valid form
// turns into. Pure, so it is tested without rendering.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { FieldSchema, ConnectorSchema } from '../../domain/connectorSchemas.js';
import type { Connector, DexEdit } from '../../domain/dexConfig.js';
import { isDeepStrictEqual } from 'node:util';
import { keyHint } from '../keys.js';
import { connectorIdError } from '../../domain/userInput.js';

export type Path = (string | number)[];

export interface FormField {
  /** The path joined with '.': 'id', 'name', 'host', 'userSearch.baseDN', 'orgs.0.name'. */
  key: string;
  /** Inside `config` ('id' and 'name' are the entry's own keys). */
  path: Path;
  label: string;
  /** Nesting level (0 = top), for indentation. */
  depth: number;
  schema?: FieldSchema;
  /** Marked required; for a sub-field: required whenever its object is used. */
  required: boolean;
  help: string;
  secret: boolean;
  placeholder?: string;
  /** text: typed; picker: choices (enum, bool); list: a list's header (items are added here);
   *  heading: an object's or item's title (not focusable). */
  control: 'text' | 'picker' | 'list' | 'heading';
  choices?: string[];
  /** Key of the object or list item this field belongs to (its presence decides required). */
  parent?: string;
  /** Key of the list whose item this field is in (innermost). */
  list?: string;
}

/** Items per list key, each the index of the existing item it edits (-1: a new item). */
export type ListItems = Record<string, number[]>;

export interface FormContext {
  /** Ids of the other connectors (uniqueness). */
  otherIds: string[];
  enablePasswordDB: boolean;
  /** `<issuer>/callback`, the only redirectURI Dex accepts for callback connectors. */
  callbackURL?: string;
}

export const pathKey = (path: Path): string => path.join('.');

export const BOOL_CHOICES = ['', 'true', 'false'];

function requiredHelp(f: FieldSchema): string {
  return f.required === 'open'
    ? ' Required: Dex skips this connector at startup without it.'
    : f.required === 'login'
      ? ' Required: logins fail without it.'
      : '';
}

function kindHelp(f: FieldSchema): string {
  switch (f.kind) {
    case 'stringList':
      return ' (comma-separated)';
    case 'bool':
      return ` (${keyHint('previousChoice')}/${keyHint('nextChoice')} choose true, false or unset)`;
    case 'enum':
      return ` (${keyHint('previousChoice')}/${keyHint('nextChoice')} choose: ${(f.enumValues ?? []).map((v) => v || 'unset').join(', ')})`;
    case 'stringMap':
      return ' (YAML, e.g. {key: value})';
    default:
      return f.spaces === 'keep' || f.secret ? ' Spaces are kept as typed.' : '';
  }
}

const placeholderOf = (f: FieldSchema) =>
  f.default !== undefined && f.default !== ''
    ? `default ${typeof f.default === 'string' ? f.default : JSON.stringify(f.default)}`
    : undefined;

function rowsFor(
  fields: readonly FieldSchema[],
  base: Path,
  depth: number,
  items: ListItems,
  parent: string | undefined,
  list: string | undefined,
): FormField[] {
  const out: FormField[] = [];
  for (const f of fields.filter((x) => !x.mainOnly)) {
    const path = [...base, f.key];
    const key = pathKey(path);
    const common = {
      key,
      path,
      label: f.label || f.key,
      depth,
      schema: f,
      required: f.required !== undefined,
      help: `${f.help}${requiredHelp(f)}${kindHelp(f)}`,
      secret: Boolean(f.secret),
      parent,
      list,
    };
    if (f.kind === 'object' && f.fields?.length) {
      out.push({ ...common, control: 'heading' });
      out.push(...rowsFor(f.fields, path, depth + 1, items, key, list));
    } else if (f.kind === 'objectList' && f.fields?.length) {
      const n = (items[key] ?? []).length;
      out.push({
        ...common,
        control: 'list',
        help: `${common.help} ${keyHint('addItem')} adds an item, ${keyHint('removeItem')} removes the focused one.`,
        placeholder: n ? `${n} item${n === 1 ? '' : 's'}` : 'no items',
      });
      for (let i = 0; i < n; i++) {
        const itemPath = [...path, i];
        const itemKey = pathKey(itemPath);
        out.push({
          ...common,
          key: itemKey,
          path: itemPath,
          label: `${common.label} #${i + 1}`,
          depth: depth + 1,
          required: false,
          control: 'heading',
          parent: key,
          list: key,
        });
        out.push(...rowsFor(f.fields, itemPath, depth + 2, items, itemKey, key));
      }
    } else if (f.kind === 'bool' || f.kind === 'enum') {
      out.push({
        ...common,
        control: 'picker',
        choices: f.kind === 'bool' ? BOOL_CHOICES : (f.enumValues ?? []),
        placeholder: placeholderOf(f),
      });
    } else {
      out.push({ ...common, control: 'text', placeholder: placeholderOf(f) });
    }
  }
  return out;
}

export function formFields(schema: ConnectorSchema, editing: boolean, items: ListItems = {}): FormField[] {
  const top: FormField[] = [
    {
      key: 'id',
      path: ['id'],
      label: 'id',
      depth: 0,
      required: true,
      secret: false,
      control: 'text',
      help: editing
        ? `Rename with ${keyHint('rename')} from the list (it changes every user subject).`
        : 'Unique; goes into the callback URL, the subject of every user and rolesMapping connectorId. Cannot be "local" while the password DB is on.',
    },
    {
      key: 'name',
      path: ['name'],
      label: 'name',
      depth: 0,
      required: true,
      secret: false,
      control: 'text',
      help: 'Label on the Dex login page.',
    },
  ];
  return [...top, ...rowsFor(schema.fields, [], 0, items, undefined, undefined)];
}

/** Rows that take the focus (headings do not). */
export const focusable = (f: FormField): boolean => f.control !== 'heading';

const keepsSpaces = (f: FormField) => f.secret || f.schema?.spaces === 'keep';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const p of path) {
    if (typeof p === 'number' ? !Array.isArray(v) : !isPlainObject(v)) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** Field text for an existing value. */
export function valueToText(f: FormField, value: unknown): string {
  if (value === undefined || value === null) return '';
  const kind = f.schema?.kind ?? 'string';
  if (kind === 'stringList' && Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object') return stringifyYaml(value, { collectionStyle: 'flow' }).trim();
  return String(value);
}

/** The form's starting state for an existing connector (or a new one: empty). */
export function initialForm(
  schema: ConnectorSchema,
  existing: Connector | undefined,
): { items: ListItems; texts: Record<string, string> } {
  const items: ListItems = {};
  const config = existing?.config ?? {};
  // Lists first (their items create rows), breadth by breadth until no new list appears.
  for (let known = -1; known !== Object.keys(items).length;) {
    known = Object.keys(items).length;
    for (const f of formFields(schema, Boolean(existing), items))
      if (f.control === 'list' && !items[f.key]) {
        const v = valueAt(config, f.path);
        items[f.key] = Array.isArray(v) ? v.map((_, i) => i) : [];
      }
  }
  const texts: Record<string, string> = {};
  for (const f of formFields(schema, Boolean(existing), items)) {
    if (f.control === 'heading' || f.control === 'list') continue;
    const v = f.key === 'id' ? existing?.id : f.key === 'name' ? existing?.name : valueAt(config, f.path);
    texts[f.key] = existing ? valueToText(f, v) : '';
  }
  return { items, texts };
}

export type ParsedValue = { ok: true; value: unknown } | { ok: false; error: string };

/** Text -> value; '' means absent. Values are trimmed unless a space means something to Dex. */
export function textToValue(f: FormField, text: string): ParsedValue {
  const t = keepsSpaces(f) && text.trim() ? text : text.trim();
  if (!t) return { ok: true, value: undefined };
  const s = f.schema;
  switch (s?.kind ?? 'string') {
    case 'number': {
      const n = Number(t);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: `"${t}" is not a number` };
    }
    case 'bool':
      if (t === 'true') return { ok: true, value: true };
      if (t === 'false') return { ok: true, value: false };
      return { ok: false, error: 'must be true or false (Dex refuses a string here)' };
    case 'enum':
      return (s!.enumValues ?? []).includes(t)
        ? { ok: true, value: t }
        : { ok: false, error: `must be one of ${(s!.enumValues ?? []).map((v) => v || '""').join(', ')}` };
    case 'stringList':
      return {
        ok: true,
        value: t
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      };
    case 'object':
    case 'stringMap':
    case 'objectList': {
      // Only a kind without sub-fields is YAML text here (a map of strings, an empty object).
      let v: unknown;
      try {
        v = parseYaml(t, { version: '1.1' });
      } catch (err) {
        return { ok: false, error: `not valid YAML: ${(err as Error).message.split('\n')[0]}` };
      }
      if (s!.kind === 'objectList') {
        if (!Array.isArray(v) || v.some((x) => !isPlainObject(x)))
          return { ok: false, error: 'must be a YAML list of mappings, e.g. [{name: acme}]' };
      } else if (!isPlainObject(v)) {
        return { ok: false, error: 'must be a YAML mapping, e.g. {key: value}' };
      }
      return { ok: true, value: v };
    }
    default:
      return { ok: true, value: t };
  }
}

/** An object or list item is used when it is required, an item, or any of its fields is filled. */
function present(
  fields: readonly FormField[],
  texts: Record<string, string>,
  key: string | undefined,
): boolean {
  if (key === undefined) return true;
  const own = fields.find((f) => f.key === key);
  if (!own) return true;
  if (own.list && own.control === 'heading' && own.parent === own.list) return true; // a list item
  if (own.required && present(fields, texts, own.parent)) return true;
  return fields.some((f) => f.key.startsWith(`${key}.`) && (texts[f.key] ?? '').trim() !== '');
}

/** Inline errors per field key. */
export function validateForm(
  fields: readonly FormField[],
  texts: Record<string, string>,
  ctx: FormContext,
  editing: boolean,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    if (f.control === 'heading' || f.control === 'list') continue;
    const text = (texts[f.key] ?? '').trim();
    if (f.required && !text && present(fields, texts, f.parent)) {
      errors[f.key] =
        f.schema?.required === 'login'
          ? 'required: logins through this connector fail without it'
          : 'required';
      continue;
    }
    if (f.key === 'id' && !editing) {
      // The domain's rule, the same as every face's (untrimmed: a space is refused, not dropped).
      const invalid = connectorIdError(texts.id ?? '', ctx);
      if (invalid) errors.id = invalid.message;
      continue;
    }
    if (f.key === 'id' || f.key === 'name') continue;
    const parsed = textToValue(f, texts[f.key] ?? '');
    if (!parsed.ok) {
      errors[f.key] = parsed.error;
      continue;
    }
    if (f.key === 'redirectURI' && ctx.callbackURL && text && text !== ctx.callbackURL)
      errors[f.key] = `must be exactly ${ctx.callbackURL} (Dex rejects any other callback)`;
  }
  return errors;
}

/** Warnings per field key: a leading or trailing space that Dex will keep as part of the value. */
export function formWarnings(
  fields: readonly FormField[],
  texts: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const t = texts[f.key] ?? '';
    if (f.control === 'text' && keepsSpaces(f) && t.trim() && t !== t.trim())
      out[f.key] =
        `${/^\s/.test(t) ? 'starts' : 'ends'} with a space: kept, Dex uses it as part of the value`;
  }
  return out;
}

function setAt(root: Record<string, unknown>, path: Path, value: unknown): void {
  let v: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const p = path[i]!;
    const nextIsIndex = typeof path[i + 1] === 'number';
    const cur = v[p];
    if (nextIsIndex ? !Array.isArray(cur) : !isPlainObject(cur)) v[p] = nextIsIndex ? [] : {};
    v = v[p] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete v[last];
  else v[last] = value;
}

/**
 * The config a form stands for. On an existing connector it starts from that config, so keys the
 * schema does not know (and an item's unknown keys) survive; a field whose text is unchanged keeps
 * its exact value (a number written as text stays as it was).
 */
function assemble(
  fields: readonly FormField[],
  texts: Record<string, string>,
  items: ListItems,
  existing?: Record<string, unknown>,
): Record<string, unknown> {
  const config: Record<string, unknown> = existing ? structuredClone(existing) : {};
  // Lists: rebuilt from their items (outer lists first), each item from the existing one it edits.
  for (const f of fields.filter((x) => x.control === 'list')) {
    const origin = items[f.key] ?? [];
    const before = valueAt(existing, f.path);
    const built = origin.map((o) => {
      const item = Array.isArray(before) && o >= 0 ? before[o] : undefined;
      return isPlainObject(item) ? structuredClone(item) : {};
    });
    // No items: the list goes, unless it was an empty list already (then it stays as it was).
    setAt(
      config,
      f.path,
      built.length ? built : Array.isArray(before) && !before.length ? before : undefined,
    );
  }
  for (const f of fields) {
    if (f.control !== 'text' && f.control !== 'picker') continue;
    if (f.key === 'id' || f.key === 'name') continue;
    const text = texts[f.key] ?? '';
    const old = existing ? originalLeaf(f, items, existing) : { found: false };
    if (old.found && valueToText(f, old.value) === text.trim()) {
      setAt(config, f.path, old.value);
      continue;
    }
    const p = textToValue(f, text);
    setAt(config, f.path, p.ok ? p.value : undefined);
  }
  // An optional object left empty is not written (unless it was there before).
  for (const f of [...fields].reverse())
    if (f.control === 'heading' && f.schema?.kind === 'object') {
      const v = valueAt(config, f.path);
      if (isPlainObject(v) && !Object.keys(v).length && valueAt(existing, f.path) === undefined)
        setAt(config, f.path, undefined);
    }
  return config;
}

/** The existing value a field edits, following list items back to the item they came from. */
function originalLeaf(
  f: FormField,
  items: ListItems,
  existing: Record<string, unknown>,
): { found: boolean; value?: unknown } {
  const path: Path = [];
  for (let i = 0; i < f.path.length; i++) {
    const p = f.path[i]!;
    if (typeof p === 'number') {
      const o = items[pathKey(f.path.slice(0, i))]?.[p] ?? -1;
      if (o < 0) return { found: false };
      path.push(o);
    } else path.push(p);
  }
  return { found: true, value: valueAt(existing, path) };
}

/** The operations for a valid form: add, or one set per changed top-level key. */
export function formEdits(
  type: string,
  fields: readonly FormField[],
  texts: Record<string, string>,
  existing?: Connector,
  items: ListItems = {},
): DexEdit[] {
  if (!existing) {
    return [
      {
        op: 'connector.add',
        connector: {
          type,
          id: texts.id!.trim(),
          name: texts.name!.trim(),
          config: assemble(fields, texts, items),
        },
      },
    ];
  }
  const edits: DexEdit[] = [];
  const name = texts.name!.trim();
  if (name !== existing.name)
    edits.push({ op: 'connector.set', id: existing.id, path: ['name'], value: name });
  const after = assemble(fields, texts, items, existing.config);
  const keys = new Set(fields.filter((f) => f.depth === 0 && f.path.length === 1).map((f) => f.key));
  for (const key of keys) {
    if (key === 'id' || key === 'name') continue;
    if (!isDeepStrictEqual(existing.config[key], after[key]))
      edits.push({ op: 'connector.set', id: existing.id, path: ['config', key], value: after[key] });
  }
  return edits;
}

/** Adds an item at the end of a list. */
export function addItem(items: ListItems, list: string): ListItems {
  return { ...items, [list]: [...(items[list] ?? []), -1] };
}

/** Removes item `index` of a list: its texts go, later items' texts (and nested lists) move up. */
export function removeItem(
  items: ListItems,
  texts: Record<string, string>,
  list: string,
  index: number,
): { items: ListItems; texts: Record<string, string> } {
  const prefix = `${list}.`;
  const shift = (key: string): string | null => {
    if (!key.startsWith(prefix)) return key;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const i = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (i === index) return null;
    return i > index ? `${prefix}${i - 1}${dot < 0 ? '' : rest.slice(dot)}` : key;
  };
  const nextTexts: Record<string, string> = {};
  for (const [k, v] of Object.entries(texts)) {
    const to = shift(k);
    if (to !== null) nextTexts[to] = v;
  }
  const nextItems: ListItems = {};
  for (const [k, v] of Object.entries(items)) {
    if (k === list) nextItems[k] = v.filter((_, i) => i !== index);
    else {
      const to = shift(k);
      if (to !== null) nextItems[to] = v;
    }
  }
  return { items: nextItems, texts: nextTexts };
}
