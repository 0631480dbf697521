// Validation of config.yaml before saving (dex-connectors.md §9, epinio-formats.md §2.3).
//
// Severity: error = Dex refuses to start, drops the connector, or logins through it fail;
//           warning = Dex silently ignores something, or the setting works but is risky.
//
// | code                             | sev     | why                                                        |
// |----------------------------------|---------|------------------------------------------------------------|
// | config.issuer / config.storage   | error   | Dex refuses to start                                       |
// | config.no-connectors             | error   | no connector and no password DB: Dex refuses to start      |
// | yaml.duplicate-key               | warning | Dex silently takes the last value                          |
// | connector.unknown-type           | error   | Dex refuses to start ("unknown connector type")            |
// | connector.test-type / legacy-type| warning | test-only connector / legacy alias, works                  |
// | connector.duplicate-id           | error   | logins are routed to only one of the entries               |
// | connector.reserved-id            | error   | `local` collides with the password DB                      |
// | connector.keys-outside-config    | error   | a config key next to id: is dropped, login fails (#1840)   |
// | connector.unknown-field          | warning | silently ignored by Dex                                     |
// | connector.case-duplicate         | warning | Dex reads only one of the case variants                    |
// | connector.type                   | error   | wrong value type: Dex cannot decode the config             |
// | connector.yaml11-bool            | error   | unquoted yes/no/on/off read as boolean: decode fails       |
// | connector.required               | error   | missing Open or login field: connector or logins fail      |
// | connector.enum                   | error   | invalid enum: Open error (crowd: only logged -> warning)   |
// | connector.base64-pem             | error   | Dex cannot decode the CA: connector fails to open          |
// | connector.redirect-uri           | error   | login fails with "expected callback URL ..."               |
// | connector.rule                   | mixed   | cross-field rules; error when Dex rejects, else warning    |
// | connector.dollar                 | warning | `$` is expanded from the environment (#1051)               |
// | yaml.non-finite                  | error   | .nan/.inf anywhere: no JSON form, Dex refuses to start     |
// | connector.template               | warning | `{{` may be rendered by gomplate                           |
// | connector.main-only / since      | warning | key ignored by the target Dex version                      |
// | oauth2.password-connector        | error   | Dex refuses to start                                       |
// | static.without-passworddb        | error   | Dex refuses to start                                       |
// | static.no-hash / static.hash     | error   | Dex refuses to start ("malformed bcrypt hash")             |
// | static.cost                      | error   | outside 10-16: every login of that user fails              |
// | static.duplicate-email           | error   | Dex logs it and one of the users cannot log in             |
// | static.email / static.type       | error   | entry unusable                                             |
// | static.default-password          | warning | the chart's hash of "password": anyone can log in          |
// | static.user-id                   | warning | empty userID: users share one subject                      |
// | static.since                     | warning | groups/preferredUsername ignored before v2.45.0            |
import {
  fieldFor,
  LEGACY_TYPES,
  schemaFor,
  TEST_CONNECTOR_TYPES,
  type FieldSchema,
} from './connectorSchemas.js';
import type { DexConfigDocument } from './dexConfig.js';
import { ignoresMainOnly, olderThan } from './dexVersion.js';
import { isPlainObject, YAML11_SPECIAL } from './dexYaml.js';
import { invisibleProblem } from './invisible.js';
import type { Problem, Severity } from './problems.js';

export const CHART_DEFAULT_HASH = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W';
const ENTRY_KEYS = new Set(['type', 'id', 'name', 'config', 'grantTypes']);
const PASSWORD_TYPES = new Set(['ldap', 'keystone', 'atlassian-crowd', 'mockPassword']);
const CALLBACK_REDIRECT_KINDS = new Set(['callback', 'saml']);
const BASE64_PEM_FIELDS: Record<string, string[]> = {
  ldap: ['rootCAData'],
  gitlab: ['rootCAData'],
  saml: ['caData'],
};
const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'implicit',
  'password',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
];
const CONNECTOR_FAILS =
  'Dex cannot open this connector (Dex v2.45 starts without it, older Dex does not start at all)';

type Path = (string | number)[];

function render(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    '',
  );
}

function kindName(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/** What Go's bcrypt.Cost accepts: `$2[minor]$NN$` + 53 characters, cost 4..31. */
export function bcryptCost(hash: string): number | undefined {
  const m = /^\$2[a-z]?\$(\d\d)\$[./A-Za-z0-9]{53}$/.exec(hash);
  if (!m) return undefined;
  const cost = Number(m[1]);
  return cost >= 4 && cost <= 31 ? cost : undefined;
}

/** Dex accepts a bcrypt string or base64 of one. */
function dexHashCost(hash: string): number | undefined {
  const direct = bcryptCost(hash);
  if (direct !== undefined) return direct;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(hash)) return undefined;
  return bcryptCost(Buffer.from(hash, 'base64').toString('latin1'));
}

function validBase64Pem(value: string): boolean {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return false;
  return Buffer.from(compact, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----');
}

function callbackURL(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/callback`;
}

class Collector {
  readonly problems: Problem[] = [];
  add(
    severity: Severity,
    code: string,
    path: readonly (string | number)[],
    message: string,
    fix?: string,
  ): void {
    this.problems.push({ severity, code, message, path: render(path), ...(fix ? { fix } : {}) });
  }
}

interface Ctx {
  out: Collector;
  doc: DexConfigDocument;
  dexVersion?: string;
  type: string;
  id: string;
}

function checkValue(ctx: Ctx, field: FieldSchema, value: unknown, path: Path): void {
  const { out } = ctx;
  const shown = render(path.slice(3));
  if (value === null || value === undefined) return;
  const typeError = (expected: string) =>
    out.add(
      'error',
      'connector.type',
      path,
      `${shown} of connector "${ctx.id}" must be ${expected}, but Dex reads ${kindName(value)}: it cannot decode the config and ${CONNECTOR_FAILS}.`,
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
            `${shown} of connector "${ctx.id}" is written as unquoted ${src.source}, which Dex (YAML 1.1) reads as the boolean ${value}: it cannot decode the config and ${CONNECTOR_FAILS}. Quote it: "${src.source}".`,
          );
        } else if ((typeof value === 'number' || typeof value === 'boolean') && src?.plain) {
          out.add(
            'error',
            'connector.type',
            path,
            `${shown} of connector "${ctx.id}" is written unquoted as ${src.source}, which Dex reads as a ${typeof value}: it cannot decode the config and ${CONNECTOR_FAILS}. Quote it: "${src.source}".`,
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

function checkObject(
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
    const consequence = field.required === 'open' ? CONNECTOR_FAILS : 'every login through it fails';
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

function walkScalars(value: unknown, path: Path, visit: (v: unknown, path: Path) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walkScalars(v, [...path, i], visit));
  else if (isPlainObject(value))
    for (const [k, v] of Object.entries(value)) walkScalars(v, [...path, k], visit);
  else visit(value, path);
}

function walkStrings(value: unknown, path: Path, visit: (s: string, path: Path) => void): void {
  walkScalars(value, path, (v, p) => {
    if (typeof v === 'string') visit(v, p);
  });
}

function get(obj: Record<string, unknown>, key: string): unknown {
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : obj[k];
}

function crossFieldRules(ctx: Ctx, c: Record<string, unknown>, base: Path, issuer: string | undefined): void {
  const { out } = ctx;
  const at = (key: string) => [...base, key];
  const set = (key: string) => !isEmpty(get(c, key));
  switch (ctx.type) {
    case 'github': {
      if (set('org') && set('orgs'))
        out.add(
          'error',
          'connector.rule',
          at('org'),
          `connector "${ctx.id}" sets both org and orgs: ${CONNECTOR_FAILS}. Move the org into orgs.`,
        );
      if (set('rootCA') && !set('hostName'))
        out.add(
          'error',
          'connector.rule',
          at('rootCA'),
          `rootCA of connector "${ctx.id}" needs hostName (GitHub Enterprise): ${CONNECTOR_FAILS}.`,
        );
      const host = get(c, 'hostName');
      if (typeof host === 'string' && host.includes('/'))
        out.add(
          'error',
          'connector.rule',
          at('hostName'),
          `hostName of connector "${ctx.id}" must be a bare host name without "/" (not a URL): ${CONNECTOR_FAILS}.`,
        );
      const domain = get(c, 'preferredEmailDomain');
      if (typeof domain === 'string' && domain.endsWith('*'))
        out.add(
          'error',
          'connector.rule',
          at('preferredEmailDomain'),
          `preferredEmailDomain of connector "${ctx.id}" must not end in "*": ${CONNECTOR_FAILS}.`,
        );
      break;
    }
    case 'saml': {
      if (get(c, 'insecureSkipSignatureValidation') !== true && set('ca') === set('caData')) {
        out.add(
          'error',
          'connector.rule',
          at(set('ca') ? 'caData' : 'ca'),
          `connector "${ctx.id}" must set exactly one of ca and caData (the IdP signing certificate): ${CONNECTOR_FAILS}.`,
        );
      }
      if (set('allowedGroups') && !set('groupsAttr'))
        out.add(
          'error',
          'connector.rule',
          at('allowedGroups'),
          `allowedGroups of connector "${ctx.id}" needs groupsAttr: without it every login is rejected (dex#2083).`,
        );
      if ('groupAttr' in c && !set('groupsAttr'))
        out.add(
          'warning',
          'connector.rule',
          at('groupAttr'),
          `connector "${ctx.id}" sets groupAttr, which Dex ignores: the setting is groupsAttr.`,
        );
      break;
    }
    case 'google':
      if (set('serviceAccountFilePath') && !set('domainToAdminEmail') && !set('adminEmail')) {
        out.add(
          'error',
          'connector.rule',
          at('serviceAccountFilePath'),
          `serviceAccountFilePath of connector "${ctx.id}" needs domainToAdminEmail: ${CONNECTOR_FAILS}.`,
        );
      }
      break;
    case 'oidc': {
      if (set('hostedDomains'))
        out.add(
          'error',
          'connector.rule',
          at('hostedDomains'),
          `hostedDomains of connector "${ctx.id}" is a removed feature and must be empty: ${CONNECTOR_FAILS}.`,
        );
      if (get(c, 'insecureEnableGroups') !== true) {
        const mapping = get(c, 'claimMapping');
        const mods = get(c, 'claimModifications');
        const filter =
          isPlainObject(mods) && isPlainObject(get(mods, 'filterGroupClaims'))
            ? get(get(mods, 'filterGroupClaims') as Record<string, unknown>, 'groupsFilter')
            : undefined;
        const noEffect = [
          set('allowedGroups') && 'allowedGroups',
          isPlainObject(mapping) && !isEmpty(get(mapping, 'groups')) && 'claimMapping.groups',
          !isEmpty(filter) && 'groupsFilter',
        ].filter(Boolean);
        for (const key of noEffect)
          out.add(
            'warning',
            'connector.rule',
            at(String(key)),
            `${key} of connector "${ctx.id}" has no effect without insecureEnableGroups: true: users get no groups.`,
          );
      }
      break;
    }
    case 'microsoft': {
      const tenant = get(c, 'tenant');
      if (
        (tenant === undefined || ['common', 'consumers', 'organizations'].includes(String(tenant))) &&
        (set('groups') || get(c, 'useGroupsAsWhitelist') === true)
      ) {
        out.add(
          'warning',
          'connector.rule',
          at('tenant'),
          `connector "${ctx.id}" uses tenant "${tenant ?? 'common'}": groups are only available with a specific tenant, so the groups settings have no effect.`,
        );
      }
      break;
    }
    case 'ldap': {
      const gs = get(c, 'groupSearch');
      if (isPlainObject(gs) && !isEmpty(get(gs, 'baseDN')) && isEmpty(get(gs, 'nameAttr'))) {
        out.add(
          'error',
          'connector.required',
          [...at('groupSearch'), 'nameAttr'],
          `groupSearch.nameAttr of connector "${ctx.id}" is missing while groupSearch.baseDN is set: the group lookup fails at login.`,
        );
      }
      break;
    }
  }
  const schema = schemaFor(ctx.type);
  const redirect = get(c, 'redirectURI');
  if (
    schema &&
    CALLBACK_REDIRECT_KINDS.has(schema.kind) &&
    issuer &&
    typeof redirect === 'string' &&
    redirect !== '' &&
    redirect !== callbackURL(issuer)
  ) {
    out.add(
      'error',
      'connector.redirect-uri',
      at('redirectURI'),
      `redirectURI of connector "${ctx.id}" is "${redirect}" but must be "${callbackURL(issuer)}" (the issuer + /callback): every login fails with "expected callback URL ... did not match".`,
    );
  }
  for (const key of BASE64_PEM_FIELDS[ctx.type] ?? []) {
    const v = get(c, key);
    if (typeof v !== 'string' || v === '') continue;
    if (!validBase64Pem(v)) {
      const rawPem = v.includes('-----BEGIN');
      out.add(
        'error',
        'connector.base64-pem',
        at(key),
        `${key} of connector "${ctx.id}" ${rawPem ? 'is raw PEM text' : 'is not base64 of a PEM certificate'}: ${CONNECTOR_FAILS}. Put base64 of the PEM file here (base64 -w0 ca.pem).`,
      );
    }
  }
}

function validateConnector(
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
        `connectors[${i}].${key} must be text, but Dex reads ${kindName(entry[key])}: Dex refuses to start. Quote it.`,
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
        `${key} of connector "${id}" is written next to id: instead of under config:, so Dex drops it and logins fail (dex#1840). Move it under config:.`,
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
    if (ignoresMainOnly(dexVersion)) {
      out.add(
        'warning',
        'connector.main-only',
        [...base, 'grantTypes'],
        `grantTypes of connector "${id}" exists only in Dex main: ${dexVersion ? `Dex ${dexVersion}` : 'Dex v2.45.1'} silently ignores it.`,
      );
    } else if (!Array.isArray(entry.grantTypes)) {
      out.add(
        'error',
        'connector.type',
        [...base, 'grantTypes'],
        `grantTypes of connector "${id}" must be a list: Dex refuses to start.`,
      );
    } else {
      entry.grantTypes.forEach((g, k) => {
        if (!GRANT_TYPES.includes(String(g)))
          out.add(
            'error',
            'connector.enum',
            [...base, 'grantTypes', k],
            `grantTypes of connector "${id}" contains the unknown grant type "${g}": Dex refuses to start.`,
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
      `config of connector "${id}" must be a mapping, but Dex reads ${kindName(config)}: ${CONNECTOR_FAILS}.`,
    );
    return;
  }
  const c = (config ?? {}) as Record<string, unknown>;
  walkStrings(c, [...base, 'config'], (s, path) => {
    if (s.includes('$')) {
      out.add(
        'warning',
        'connector.dollar',
        path,
        `${render(path.slice(3))} of connector "${id}" contains "$": Dex replaces $NAME with an environment variable (an unset one with nothing, "$$" with one character), so the value Dex uses differs from what is written here. Use an env reference on the Dex Deployment or set DEX_EXPAND_ENV=false.`,
      );
    }
  });
  if (schema) {
    const ctx: Ctx = { out, doc, dexVersion, type: schema.type, id };
    checkObject(ctx, schema.fields, c, [...base, 'config'], false);
    crossFieldRules(ctx, c, [...base, 'config'], issuer);
  }
}

function validateStatic(out: Collector, view: Record<string, unknown>, dexVersion: string | undefined): void {
  const list = view.staticPasswords;
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    out.add(
      'error',
      'static.type',
      ['staticPasswords'],
      `staticPasswords must be a list, but Dex reads ${kindName(list)}: Dex refuses to start.`,
    );
    return;
  }
  if (list.length > 0 && view.enablePasswordDB !== true) {
    out.add(
      'error',
      'static.without-passworddb',
      ['enablePasswordDB'],
      'staticPasswords are set but enablePasswordDB is not true: Dex refuses to start ("cannot specify static passwords without enabling password db"). Enable the password database or remove the static passwords.',
    );
  }
  const emails = new Map<string, number>();
  list.forEach((entry, i) => {
    const base: Path = ['staticPasswords', i];
    if (!isPlainObject(entry)) {
      out.add(
        'error',
        'static.type',
        base,
        `staticPasswords[${i}] must be a mapping with email and hash, but Dex reads ${kindName(entry)}: Dex refuses to start.`,
      );
      return;
    }
    for (const key of ['email', 'username', 'name', 'userID', 'hash', 'hashFromEnv', 'preferredUsername']) {
      if (entry[key] !== undefined && entry[key] !== null && typeof entry[key] !== 'string') {
        out.add(
          'error',
          'static.type',
          [...base, key],
          `staticPasswords[${i}].${key} must be text, but Dex reads ${kindName(entry[key])}: Dex refuses to start. Quote it.`,
        );
      }
    }
    const email = typeof entry.email === 'string' ? entry.email : '';
    const who = email ? `"${email}"` : `staticPasswords[${i}]`;
    if (!email)
      out.add(
        'error',
        'static.email',
        [...base, 'email'],
        `staticPasswords[${i}] has no email: nobody can log in with it.`,
      );
    else {
      const prev = emails.get(email.toLowerCase());
      if (prev !== undefined) {
        out.add(
          'error',
          'static.duplicate-email',
          [...base, 'email'],
          `the email ${who} is also used by staticPasswords[${prev}] (emails are compared without case): Dex only logs this and one of them cannot log in. Remove one.`,
        );
      } else emails.set(email.toLowerCase(), i);
    }
    const hash = typeof entry.hash === 'string' ? entry.hash : '';
    if (!hash) {
      if (isEmpty(entry.hashFromEnv))
        out.add(
          'error',
          'static.no-hash',
          [...base, 'hash'],
          `static password ${who} has no hash: Dex refuses to start ("no password hash provided"). Set a password.`,
        );
    } else {
      const cost = dexHashCost(hash);
      if (cost === undefined)
        out.add(
          'error',
          'static.hash',
          [...base, 'hash'],
          `the hash of static password ${who} is not a bcrypt hash: Dex refuses to start ("malformed bcrypt hash"). Set the password again.`,
        );
      else if (cost < 10 || cost > 16)
        out.add(
          'error',
          'static.cost',
          [...base, 'hash'],
          `the hash of static password ${who} has bcrypt cost ${cost}, but Dex accepts only 10 to 16: every login of this user fails. Set the password again (cost 12).`,
        );
      if (hash === CHART_DEFAULT_HASH)
        out.add(
          'warning',
          'static.default-password',
          [...base, 'hash'],
          `static password ${who} still has the chart's default password "password": anyone who knows the default can log in. Change it.`,
        );
    }
    if (isEmpty(entry.userID))
      out.add(
        'warning',
        'static.user-id',
        [...base, 'userID'],
        `static password ${who} has no userID: users without one share one Dex subject. Give it a UUID.`,
      );
    for (const key of ['groups', 'preferredUsername']) {
      if (entry[key] !== undefined && olderThan(dexVersion, 'v2.45.0'))
        out.add(
          'warning',
          'static.since',
          [...base, key],
          `${key} of static password ${who} needs Dex v2.45.0 or newer: Dex ${dexVersion} silently ignores it.`,
        );
    }
    if (entry.groups !== undefined && entry.groups !== null && !Array.isArray(entry.groups)) {
      out.add(
        'error',
        'static.type',
        [...base, 'groups'],
        `groups of static password ${who} must be a list: Dex refuses to start.`,
      );
    }
  });
}

export function validateDexConfig(doc: DexConfigDocument, options: { dexVersion?: string } = {}): Problem[] {
  const out = new Collector();
  const view = doc.dexView();
  const { dexVersion } = options;
  const issuer = typeof view.issuer === 'string' && view.issuer !== '' ? view.issuer : undefined;
  if (!issuer)
    out.add(
      'error',
      'config.issuer',
      ['issuer'],
      'config.yaml has no issuer: Dex refuses to start ("no issuer specified in config file"). Set it to https://auth.<your domain>.',
    );
  if (!isPlainObject(view.storage))
    out.add(
      'error',
      'config.storage',
      ['storage'],
      'config.yaml has no storage: Dex refuses to start. Epinio uses storage: { type: kubernetes, config: { inCluster: true } }.',
    );

  for (const dup of doc.duplicateKeys()) {
    out.add(
      'warning',
      'yaml.duplicate-key',
      dup.path ? [dup.path, dup.key] : [dup.key],
      `${dup.path ? `${dup.path}.` : ''}${dup.key} is written twice${dup.line ? ` (again at line ${dup.line})` : ''}: Dex silently uses the last one. Remove one.`,
    );
  }

  // Dex turns the whole file into JSON before decoding it, and JSON has no NaN or infinity: one
  // plain .nan or .inf anywhere, even under an unknown key, stops Dex (checked with Dex's own code).
  walkScalars(view, [], (value, path) => {
    if (typeof value === 'number' && !Number.isFinite(value))
      out.add(
        'error',
        'yaml.non-finite',
        path,
        `${render(path)} is ${doc.scalarSource(path)?.source ?? String(value)}, which YAML reads as ${String(value)}: Dex converts config.yaml to JSON, which has no such number, and refuses to start. Quote it if it is text.`,
      );
  });

  const connectors = Array.isArray(view.connectors) ? view.connectors : [];
  const ids = new Map<string, number>();
  connectors.forEach((entry, i) => {
    if (!isPlainObject(entry)) return;
    const id = String(entry.id);
    const invisible = invisibleProblem('connector id', id, render(['connectors', i, 'id']));
    if (invisible) out.problems.push(invisible);
    const prev = ids.get(id);
    if (prev !== undefined)
      out.add(
        'error',
        'connector.duplicate-id',
        ['connectors', i, 'id'],
        `the connector id "${id}" is also used by connectors[${prev}]: logins are routed to only one of them. Give each connector its own id.`,
      );
    else ids.set(id, i);
    if (id === 'local' && view.enablePasswordDB === true) {
      out.add(
        'error',
        'connector.reserved-id',
        ['connectors', i, 'id'],
        'the connector id "local" is taken by the password database (enablePasswordDB: true): logins are routed to only one of them. Rename the connector.',
      );
    }
    validateConnector(out, doc, entry, i, issuer, dexVersion);
  });
  if (connectors.length === 0 && view.enablePasswordDB !== true) {
    out.add(
      'error',
      'config.no-connectors',
      ['connectors'],
      'config.yaml has no connectors and the password database is off: Dex refuses to start ("server: no connectors specified"). Add a connector or set enablePasswordDB: true.',
    );
  }

  const oauth2 = view.oauth2;
  const pc = isPlainObject(oauth2) ? oauth2.passwordConnector : undefined;
  if (typeof pc === 'string' && pc !== '') {
    const target = connectors.find((c) => isPlainObject(c) && String(c.id) === pc) as
      Record<string, unknown> | undefined;
    if (pc === 'local' && view.enablePasswordDB === true) {
      // the password database is a password connector
    } else if (!target) {
      out.add(
        'error',
        'oauth2.password-connector',
        ['oauth2', 'passwordConnector'],
        `oauth2.passwordConnector names "${pc}", but there is no such connector: Dex refuses to start.`,
      );
    } else if (!PASSWORD_TYPES.has(String(target.type))) {
      out.add(
        'error',
        'oauth2.password-connector',
        ['oauth2', 'passwordConnector'],
        `oauth2.passwordConnector names "${pc}", a ${String(target.type)} connector, but only ldap, keystone, atlassian-crowd or local can check passwords: Dex refuses to start.`,
      );
    }
  }

  validateStatic(out, view, dexVersion);

  walkStrings(view, [], (s, path) => {
    if (s.includes('{{'))
      out.add(
        'warning',
        'connector.template',
        path,
        `${render(path)} contains "{{": the Dex image may render config.yaml through gomplate, which would replace or reject it.`,
      );
  });
  return out.problems;
}
