// Connector entry rules: type, entry keys, grant types, `$` expansion; then the field and
// cross-field rules of its config.
import { fieldFor, LEGACY_TYPES, schemaFor, TEST_CONNECTOR_TYPES } from '../connectorSchemas.js';
import { isSecretPath } from '../masking.js';
import type { DexConfigDocument } from '../dexConfig.js';
import { ignoresMainOnly } from '../dexVersion.js';
import { isPlainObject } from '../dexYaml.js';
import { crossFieldRules } from './crossField.js';
import { checkObject } from './fields.js';
import {
  DEX_EXITS,
  kindName,
  LOGINS_FAIL,
  render,
  walkStrings,
  type Collector,
  type Ctx,
  type Path,
} from './shared.js';

const ENTRY_KEYS = new Set(['type', 'id', 'name', 'config', 'grantTypes']);
const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'implicit',
  'password',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
];

export function validateConnector(
  out: Collector,
  doc: DexConfigDocument,
  entry: unknown,
  i: number,
  issuer: string | undefined,
  dexVersion: string | undefined,
): void {
  const base: Path = ['connectors', i];
  if (!isPlainObject(entry)) return;
  for (const key of ['type', 'id', 'name']) {
    if (typeof entry[key] !== 'string')
      out.add(
        'error',
        'connector.type',
        [...base, key],
        `connectors[${i}].${key} must be text, but Dex reads ${kindName(entry[key])}: ${DEX_EXITS}. Quote it.`,
      );
  }
  const type = String(entry.type);
  const id = String(entry.id);
  const schema = schemaFor(type);
  if (!schema) {
    if ((TEST_CONNECTOR_TYPES as readonly string[]).includes(type)) {
      out.add(
        'warning',
        'connector.test-type',
        [...base, 'type'],
        `connector "${id}" has type ${type}, a Dex test connector: anyone can log in through it. Do not use it in production.`,
      );
    } else if (type === 'local') {
      out.add(
        'error',
        'connector.unknown-type',
        [...base, 'type'],
        `connector "${id}" has type local, which is not a connector type (it is the password database, enabled with enablePasswordDB): Dex refuses to start.`,
      );
    } else {
      out.add(
        'error',
        'connector.unknown-type',
        [...base, 'type'],
        `connector "${id}" has the unknown type "${type}": Dex refuses to start ("unknown connector type"). Use one of ${['github', 'oidc', 'ldap', 'saml', '...'].join(', ')}.`,
      );
    }
  } else if (LEGACY_TYPES[type]) {
    out.add(
      'warning',
      'connector.legacy-type',
      [...base, 'type'],
      `connector "${id}" uses the legacy type ${type}: it works, but write ${LEGACY_TYPES[type]} instead.`,
    );
  }
  for (const key of Object.keys(entry)) {
    if (ENTRY_KEYS.has(key)) continue;
    const known = schema && fieldFor(schema.fields, key);
    if (known) {
      out.add(
        'error',
        'connector.keys-outside-config',
        [...base, key],
        `${key} of connector "${id}" is written next to id: instead of under config:, so Dex drops it: ${LOGINS_FAIL} (dex#1840). Move it under config:.`,
        'connector.move-into-config',
      );
    } else {
      out.add(
        'warning',
        'connector.unknown-field',
        [...base, key],
        `${key} is not a connector entry key (type, id, name, config): Dex silently ignores it.`,
      );
    }
  }
  if (entry.grantTypes !== undefined) {
    // A known release that ignores grantTypes: only a warning. Unknown: Dex main checks them and
    // refuses to start on a bad one, so that is reported (with what v2.45.1 does).
    const unknownVersion = !dexVersion?.trim();
    const onMain = unknownVersion ? ' if it is a main build (v2.45.1 ignores grantTypes)' : '';
    if (!unknownVersion && ignoresMainOnly(dexVersion)) {
      out.add(
        'warning',
        'connector.main-only',
        [...base, 'grantTypes'],
        `grantTypes of connector "${id}" exists only in Dex main: Dex ${dexVersion} silently ignores it.`,
      );
    } else if (!Array.isArray(entry.grantTypes)) {
      out.add(
        'error',
        'connector.type',
        [...base, 'grantTypes'],
        `grantTypes of connector "${id}" must be a list: ${DEX_EXITS}${onMain}.`,
      );
    } else {
      entry.grantTypes.forEach((g, k) => {
        if (!GRANT_TYPES.includes(String(g)))
          out.add(
            'error',
            'connector.enum',
            [...base, 'grantTypes', k],
            `grantTypes of connector "${id}" contains the unknown grant type "${g}": ${DEX_EXITS}${onMain}.`,
          );
      });
    }
  }
  const config = entry.config;
  if (config !== undefined && config !== null && !isPlainObject(config)) {
    out.add(
      'error',
      'connector.type',
      [...base, 'config'],
      `config of connector "${id}" must be a mapping, but Dex reads ${kindName(config)}: ${DEX_EXITS}.`,
    );
    return;
  }
  const c = (config ?? {}) as Record<string, unknown>;
  walkStrings(c, [...base, 'config'], (s, path) => {
    if (!s.includes('$')) return;
    const shown = render(path.slice(3));
    // "$$", "$1", "$*" ... are variable names no Deployment can set: Dex always drops them, so a
    // secret written with one is never the secret Dex sends.
    const unsettable = /\$[$*#@!?0-9]/.exec(s)?.[0];
    if (unsettable && isSecretPath(type, path.slice(3)))
      out.add(
        'error',
        'connector.dollar',
        path,
        `${shown} of connector "${id}" contains "${unsettable}": Dex expands "$" from its environment (DEX_EXPAND_ENV is on by default) and "${unsettable}" names no variable that can be set, so Dex replaces it with nothing and uses another secret than the one written: ${LOGINS_FAIL}. Put the secret in an environment variable of the Dex Deployment and write $NAME, or set DEX_EXPAND_ENV=false.`,
      );
    else
      out.add(
        'warning',
        'connector.dollar',
        path,
        `${shown} of connector "${id}" contains "$": Dex replaces $NAME with an environment variable (an unset one, and "$$", "$1" or "$*", with nothing), so the value Dex uses differs from what is written here. Use an env reference on the Dex Deployment or set DEX_EXPAND_ENV=false.`,
      );
  });
  if (schema) {
    const ctx: Ctx = { out, doc, dexVersion, type: schema.type, id };
    checkObject(ctx, schema.fields, c, [...base, 'config'], false);
    crossFieldRules(ctx, c, [...base, 'config'], issuer);
  }
}
