// Cross-field rules: settings that are each valid alone but that Dex rejects or ignores together.
import { schemaFor } from '../connectorSchemas.js';
import { isPlainObject } from '../dexYaml.js';
import { CONNECTOR_FAILS, DECODE_EXITS, get, isEmpty, LOGINS_FAIL, type Ctx, type Path } from './shared.js';

const CALLBACK_REDIRECT_KINDS = new Set(['callback', 'saml']);
const BASE64_PEM_FIELDS: Record<string, string[]> = {
  ldap: ['rootCAData'],
  gitlab: ['rootCAData'],
  saml: ['caData'],
};

/** What Go's encoding/json accepts for a []byte field: standard base64 with padding (it skips \r and \n). */
function goBase64(value: string): string | undefined {
  const compact = value.replace(/[\r\n]/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact) ? compact : undefined;
}

const SAML_NAME_ID_FORMATS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:encrypted',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
];

/** An LDAP DN: attribute=value pairs separated by unescaped commas (RFC 4514, loosely). */
function ldapDnOk(dn: string): boolean {
  return dn
    .split(/(?<!\\),/)
    .every((rdn) =>
      rdn.split(/(?<!\\)\+/).every((ava) => /^\s*([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)\s*=/.test(ava)),
    );
}

/** An LDAP filter Dex can send: "(...)" with balanced parentheses. */
function ldapFilterOk(filter: string): boolean {
  if (!filter.startsWith('(')) return false;
  let depth = 0;
  for (const ch of filter) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

function callbackURL(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/callback`;
}

export function crossFieldRules(
  ctx: Ctx,
  c: Record<string, unknown>,
  base: Path,
  issuer: string | undefined,
): void {
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
          `allowedGroups of connector "${ctx.id}" needs groupsAttr: without it ${LOGINS_FAIL} (dex#2083).`,
        );
      const format = get(c, 'nameIDPolicyFormat');
      if (
        typeof format === 'string' &&
        format !== '' &&
        !SAML_NAME_ID_FORMATS.some((f) => f === format || f.endsWith(`:${format}`))
      )
        out.add(
          'error',
          'connector.enum',
          at('nameIDPolicyFormat'),
          `nameIDPolicyFormat of connector "${ctx.id}" is "${format}", which is not a SAML NameID format (persistent, transient, emailAddress, unspecified, X509SubjectName, WindowsDomainQualifiedName, encrypted, entity, kerberos, or the full URN): ${CONNECTOR_FAILS}.`,
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
          `groupSearch.nameAttr of connector "${ctx.id}" is missing while groupSearch.baseDN is set: ${LOGINS_FAIL} (the group lookup finds groups without a name).`,
        );
      }
      const host = get(c, 'host');
      if (typeof host === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(host))
        out.add(
          'error',
          'connector.rule',
          at('host'),
          `host of connector "${ctx.id}" is "${host}", but it must be host:port without a scheme (Dex adds ldap:// or ldaps:// itself; insecureNoSSL: true means plain ldap): ${LOGINS_FAIL}. Write "${host.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '')}".`,
        );
      const dns: [Path, unknown][] = [
        [at('bindDN'), get(c, 'bindDN')],
        ...['userSearch', 'groupSearch'].map((search): [Path, unknown] => {
          const s = get(c, search);
          return [[...at(search), 'baseDN'], isPlainObject(s) ? get(s, 'baseDN') : undefined];
        }),
      ];
      for (const [path, dn] of dns)
        if (typeof dn === 'string' && dn !== '' && !ldapDnOk(dn))
          out.add(
            'error',
            'connector.rule',
            path,
            `${path.slice(3).join('.')} of connector "${ctx.id}" is "${dn}", which is not an LDAP DN (attribute=value pairs separated by commas, e.g. ou=people,dc=example,dc=org): ${LOGINS_FAIL}.`,
          );
      for (const search of ['userSearch', 'groupSearch']) {
        const s = get(c, search);
        const filter = isPlainObject(s) ? get(s, 'filter') : undefined;
        if (typeof filter === 'string' && filter !== '' && !ldapFilterOk(filter))
          out.add(
            'error',
            'connector.rule',
            [...at(search), 'filter'],
            `${search}.filter of connector "${ctx.id}" is "${filter}", which is not an LDAP filter ("(...)" with balanced parentheses): ${LOGINS_FAIL}.`,
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
      `redirectURI of connector "${ctx.id}" is "${redirect}" but must be "${callbackURL(issuer)}" (the issuer + /callback): ${LOGINS_FAIL} ("expected callback URL ... did not match").`,
    );
  }
  for (const key of BASE64_PEM_FIELDS[ctx.type] ?? []) {
    const v = get(c, key);
    if (typeof v !== 'string' || v === '') continue;
    // Not base64 at all: the []byte field cannot be decoded and Dex stops. Base64 of something
    // that is not a certificate: the connector's own check fails.
    const bytes = goBase64(v);
    const pem =
      bytes !== undefined &&
      Buffer.from(bytes, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----');
    if (!pem) {
      const what = v.includes('-----BEGIN')
        ? 'is raw PEM text, not base64'
        : bytes === undefined
          ? 'is not base64'
          : 'is base64, but not of a PEM certificate';
      out.add(
        'error',
        'connector.base64-pem',
        at(key),
        `${key} of connector "${ctx.id}" ${what}: ${bytes === undefined ? DECODE_EXITS : CONNECTOR_FAILS}. Put base64 of the PEM file here (base64 -w0 ca.pem).`,
      );
    }
  }
}
