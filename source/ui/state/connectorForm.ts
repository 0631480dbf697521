// The connector form, generated from the type's schema: field texts, inline validation, and the
// DexEdit operations a valid form turns into. Pure, so it is tested without rendering.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { FieldSchema, ConnectorSchema } from '../../domain/connectorSchemas.js';
import type { Connector, DexEdit } from '../../domain/dexConfig.js';
import { isDeepStrictEqual } from 'node:util';

export interface FormField {
  /** 'id' and 'name' are the entry's own keys; everything else is config.<key>. */
  key: string;
  label: string;
  schema?: FieldSchema;
  required: boolean;
  help: string;
  secret: boolean;
  placeholder?: string;
}

export interface FormContext {
  /** Ids of the other connectors (uniqueness). */
  otherIds: string[];
  enablePasswordDB: boolean;
  /** `<issuer>/callback`, the only redirectURI Dex accepts for callback connectors. */
  callbackURL?: string;
}

export function formFields(schema: ConnectorSchema, editing: boolean): FormField[] {
  const top: FormField[] = [
    {
      key: 'id',
      label: 'id',
      required: true,
      secret: false,
      help: editing
        ? 'Rename with n from the list (it changes every user subject).'
        : 'Unique; goes into the callback URL, the subject of every user and rolesMapping connectorId. Cannot be "local" while the password DB is on.',
    },
    { key: 'name', label: 'name', required: true, secret: false, help: 'Label on the Dex login page.' },
  ];
  return [
    ...top,
    ...schema.fields
      .filter((f) => !f.mainOnly)
      .map((f) => ({
        key: f.key,
        label: f.label || f.key,
        schema: f,
        required: f.required !== undefined,
        secret: Boolean(f.secret),
        help: `${f.help}${f.required === 'open' ? ' Required: Dex skips this connector at startup without it.' : f.required === 'login' ? ' Required: logins fail without it.' : ''}${kindHelp(f)}`,
        placeholder:
          f.default !== undefined
            ? `default ${typeof f.default === 'string' ? f.default : JSON.stringify(f.default)}`
            : undefined,
      })),
  ];
}

function kindHelp(f: FieldSchema): string {
  switch (f.kind) {
    case 'stringList':
      return ' (comma-separated)';
    case 'bool':
      return ' (space toggles true/false/unset)';
    case 'enum':
      return ` (one of: ${(f.enumValues ?? []).map((v) => v || '""').join(', ')})`;
    case 'object':
    case 'stringMap':
      return ' (YAML, e.g. {key: value})';
    case 'objectList':
      return ` (YAML list, e.g. [{${(f.fields ?? []).map((s) => `${s.key}: ...`).join(', ')}}])`;
    default:
      return '';
  }
}

/** Field text for an existing value. */
export function valueToText(f: FormField, value: unknown): string {
  if (value === undefined || value === null) return '';
  const kind = f.schema?.kind ?? 'string';
  if (kind === 'stringList' && Array.isArray(value)) return value.map(String).join(', ');
  if (kind === 'object' || kind === 'objectList' || kind === 'stringMap' || typeof value === 'object') {
    return stringifyYaml(value, { collectionStyle: 'flow' }).trim();
  }
  return String(value);
}

export type ParsedValue = { ok: true; value: unknown } | { ok: false; error: string };

/** Text -> value; '' means absent. */
export function textToValue(f: FormField, text: string): ParsedValue {
  const t = text.trim();
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
      let v: unknown;
      try {
        v = parseYaml(t, { version: '1.1' });
      } catch (err) {
        return { ok: false, error: `not valid YAML: ${(err as Error).message.split('\n')[0]}` };
      }
      if (s!.kind === 'objectList') {
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null || Array.isArray(x)))
          return { ok: false, error: 'must be a YAML list of mappings, e.g. [{name: acme}]' };
      } else if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        return { ok: false, error: 'must be a YAML mapping, e.g. {key: value}' };
      }
      return { ok: true, value: v };
    }
    default:
      return { ok: true, value: t };
  }
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
    const text = (texts[f.key] ?? '').trim();
    if (f.required && !text) {
      errors[f.key] =
        f.schema?.required === 'login'
          ? 'required: logins through this connector fail without it'
          : 'required';
      continue;
    }
    if (f.key === 'id' && !editing) {
      if (ctx.otherIds.includes(text)) errors.id = `a connector with id "${text}" already exists`;
      else if (text === 'local' && ctx.enablePasswordDB)
        errors.id = '"local" is the password DB connector (enablePasswordDB: true)';
      else if (/\s|\//.test(text)) errors.id = 'no spaces or slashes: the id is part of the callback URL';
      continue;
    }
    if (f.key === 'id' || f.key === 'name') continue;
    const parsed = textToValue(f, text);
    if (!parsed.ok) {
      errors[f.key] = parsed.error;
      continue;
    }
    if (f.key === 'redirectURI' && ctx.callbackURL && text && text !== ctx.callbackURL)
      errors[f.key] = `must be exactly ${ctx.callbackURL} (Dex rejects any other callback)`;
  }
  return errors;
}

/** The operations for a valid form: add, or one set per changed field (unknown keys untouched). */
export function formEdits(
  type: string,
  fields: readonly FormField[],
  texts: Record<string, string>,
  existing?: Connector,
): DexEdit[] {
  const value = (f: FormField) => {
    const p = textToValue(f, texts[f.key] ?? '');
    return p.ok ? p.value : undefined;
  };
  const configFields = fields.filter((f) => f.key !== 'id' && f.key !== 'name');
  if (!existing) {
    const config: Record<string, unknown> = {};
    for (const f of configFields) {
      const v = value(f);
      if (v !== undefined) config[f.key] = v;
    }
    return [
      { op: 'connector.add', connector: { type, id: texts.id!.trim(), name: texts.name!.trim(), config } },
    ];
  }
  const edits: DexEdit[] = [];
  const name = texts.name!.trim();
  if (name !== existing.name)
    edits.push({ op: 'connector.set', id: existing.id, path: ['name'], value: name });
  for (const f of configFields) {
    const before = existing.config[f.key];
    const after = value(f);
    if (!isDeepStrictEqual(before, after) && !(before === undefined && after === undefined)) {
      // Unchanged text of an existing value (e.g. a number kept as text) must not produce an edit.
      if (valueToText(f, before) === (texts[f.key] ?? '').trim()) continue;
      edits.push({ op: 'connector.set', id: existing.id, path: ['config', f.key], value: after });
    }
  }
  return edits;
}
