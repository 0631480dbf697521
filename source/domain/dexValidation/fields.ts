// Field rules: each connector config value against its schema (kind, enum, required, version).
import { fieldFor, type FieldSchema } from '../connectorSchemas.js';
import { ignoresMainOnly, olderThan } from '../dexVersion.js';
import { isPlainObject, YAML11_SPECIAL } from '../dexYaml.js';
import {
  CONNECTOR_FAILS,
  DECODE_EXITS,
  isEmpty,
  kindName,
  LOGINS_FAIL,
  render,
  type Ctx,
  type Path,
} from './shared.js';

function checkValue(ctx: Ctx, field: FieldSchema, value: unknown, path: Path): void {
  const { out } = ctx;
  const shown = render(path.slice(3));
  if (value === null || value === undefined) return;
  const typeError = (expected: string) =>
    out.add(
      'error',
      'connector.type',
      path,
      `${shown} of connector "${ctx.id}" must be ${expected}, but Dex reads ${kindName(value)}: ${DECODE_EXITS}.`,
    );
  switch (field.kind) {
    case 'string':
    case 'enum': {
      if (
        field.key === 'username' &&
        path[path.length - 2] === 'userSearch' &&
        Array.isArray(value) &&
        !ignoresMainOnly(ctx.dexVersion)
      )
        return;
      if (typeof value !== 'string') {
        const src = ctx.doc.scalarSource(path);
        if (
          typeof value === 'boolean' &&
          src?.plain &&
          YAML11_SPECIAL.has(src.source.toLowerCase()) &&
          !/^(true|false)$/i.test(src.source)
        ) {
          out.add(
            'error',
            'connector.yaml11-bool',
            path,
            `${shown} of connector "${ctx.id}" is written as unquoted ${src.source}, which Dex (YAML 1.1) reads as the boolean ${value}: ${DECODE_EXITS}. Quote it: "${src.source}".`,
          );
        } else if ((typeof value === 'number' || typeof value === 'boolean') && src?.plain) {
          out.add(
            'error',
            'connector.type',
            path,
            `${shown} of connector "${ctx.id}" is written unquoted as ${src.source}, which Dex reads as a ${typeof value}: ${DECODE_EXITS}. Quote it: "${src.source}".`,
          );
        } else typeError('text');
        return;
      }
      if (field.kind === 'enum' && field.enumValues && !field.enumValues.includes(value)) {
        const onlyLogged = ctx.type === 'atlassian-crowd';
        out.add(
          onlyLogged ? 'warning' : 'error',
          'connector.enum',
          path,
          `${shown} of connector "${ctx.id}" is "${value}", but it must be one of ${field.enumValues.map((v) => `"${v}"`).join(', ')}: ${onlyLogged ? 'Dex only logs this and ignores the value' : CONNECTOR_FAILS}.`,
        );
      }
      return;
    }
    case 'bool':
      if (typeof value !== 'boolean') typeError('true or false (unquoted)');
      return;
    case 'number':
      if (typeof value !== 'number') typeError('a number');
      return;
    case 'stringList':
      if (!Array.isArray(value)) typeError('a list of text (e.g. ["a", "b"])');
      else
        value.forEach(
          (item, i) =>
            item !== null &&
            typeof item !== 'string' &&
            checkValue(ctx, { ...field, kind: 'string' }, item, [...path, i]),
        );
      return;
    case 'stringMap':
      if (!isPlainObject(value)) typeError('a mapping of text to text');
      else
        for (const [k, v] of Object.entries(value))
          if (typeof v !== 'string') checkValue(ctx, { ...field, kind: 'string' }, v, [...path, k]);
      return;
    case 'object':
      if (!isPlainObject(value)) typeError('a mapping');
      else checkObject(ctx, field.fields ?? [], value, path, field.key === 'kerberos');
      return;
    case 'objectList':
      if (!Array.isArray(value)) typeError('a list of mappings');
      else
        value.forEach((item, i) => {
          if (!isPlainObject(item)) checkValue(ctx, { ...field, kind: 'object' }, item, [...path, i]);
          else checkObject(ctx, field.fields ?? [], item, [...path, i], false);
        });
      return;
  }
}

export function checkObject(
  ctx: Ctx,
  fields: readonly FieldSchema[],
  obj: Record<string, unknown>,
  path: Path,
  open: boolean,
): void {
  const { out } = ctx;
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(obj)) {
    const here = [...path, key];
    const lower = key.toLowerCase();
    const other = seen.get(lower);
    if (other !== undefined) {
      out.add(
        'warning',
        'connector.case-duplicate',
        here,
        `${render(here.slice(3))} and ${other} of connector "${ctx.id}" are the same key to Dex (keys match without case): only one of them takes effect. Keep one.`,
      );
    }
    seen.set(lower, key);
    const field = fieldFor(fields, key);
    if (!field) {
      if (!open)
        out.add(
          'warning',
          'connector.unknown-field',
          here,
          `${render(here.slice(3))} is not a ${ctx.type} setting: Dex silently ignores it. Check the spelling.`,
        );
      continue;
    }
    if (field.mainOnly && ignoresMainOnly(ctx.dexVersion)) {
      out.add(
        'warning',
        'connector.main-only',
        here,
        `${render(here.slice(3))} exists only in Dex main: ${ctx.dexVersion ? `Dex ${ctx.dexVersion}` : 'Dex v2.45.1'} silently ignores it.`,
      );
    } else if (field.since && olderThan(ctx.dexVersion, field.since)) {
      out.add(
        'warning',
        'connector.since',
        here,
        `${render(here.slice(3))} needs Dex ${field.since} or newer: Dex ${ctx.dexVersion} silently ignores it.`,
      );
    }
    checkValue(ctx, field, value, here);
  }
  for (const field of fields) {
    if (!field.required) continue;
    const key = Object.keys(obj).find((k) => k.toLowerCase() === field.key.toLowerCase());
    if (key !== undefined && !isEmpty(obj[key])) continue;
    if (skipRequired(ctx.type, field.key, obj)) continue;
    const consequence = field.required === 'open' ? CONNECTOR_FAILS : LOGINS_FAIL;
    out.add(
      'error',
      'connector.required',
      [...path, field.key],
      `${render([...path, field.key].slice(3))} (${field.label}) of connector "${ctx.id}" is missing: ${consequence}.`,
    );
  }
}

function skipRequired(type: string, key: string, obj: Record<string, unknown>): boolean {
  if (type === 'ldap' && key === 'emailAttr') return !isEmpty(obj.emailSuffix);
  if (type === 'microsoft' && key === 'clientSecret') return !isEmpty(obj.clientAssertion);
  return false;
}
