// Cross-field rules: settings that are each valid alone but that Dex rejects or ignores together.
import { schemaFor } from '../connectorSchemas.js';
import { isPlainObject } from '../dexYaml.js';
import { CONNECTOR_FAILS, get, isEmpty, type Ctx, type Path } from './shared.js';

const CALLBACK_REDIRECT_KINDS = new Set(['callback', 'saml']);
const BASE64_PEM_FIELDS: Record<string, string[]> = {
  ldap: ['rootCAData'],
  gitlab: ['rootCAData'],
  saml: ['caData'],
};

function validBase64Pem(value: string): boolean {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return false;
  return Buffer.from(compact, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----');
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
