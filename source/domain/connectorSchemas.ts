// The fields of every connector type Dex v2.45.1 knows (dex-connectors.md §7), as data.
// Forms in the TUI and the validator are generated from these schemas; nothing is per type.
// `required: 'open'` = Dex's startup check rejects a missing value; 'login' = startup accepts it
// but logins fail. `mainOnly` keys are ignored by Dex v2.45.x; `keepAbsent` keys must not be
// written unless the operator sets them (absent differs from empty).

export type FieldKind =
  'string' | 'bool' | 'number' | 'stringList' | 'enum' | 'object' | 'objectList' | 'stringMap';

export interface FieldSchema {
  key: string;
  label: string;
  kind: FieldKind;
  required?: 'open' | 'login';
  secret?: boolean;
  sensitive?: boolean;
  default?: unknown;
  help: string;
  enumValues?: string[];
  fields?: FieldSchema[];
  mainOnly?: boolean;
  since?: string;
  keepAbsent?: boolean;
  /** A leading or trailing space is part of the value for Dex (a label, a separator, a prefix);
   *  without it (and for non-secrets) forms trim the value. Secrets always keep their spaces. */
  spaces?: 'keep';
}

export interface ConnectorSchema {
  type: string;
  label: string;
  kind: 'callback' | 'password' | 'saml' | 'header';
  networkAtStartup: boolean;
  groupsHelp: string;
  fields: FieldSchema[];
}

type Extra = Partial<Omit<FieldSchema, 'key' | 'label' | 'kind' | 'help'>>;
const f =
  (kind: FieldKind) =>
  (key: string, label: string, help: string, extra: Extra = {}): FieldSchema => ({
    key,
    label,
    kind,
    help,
    ...extra,
  });
const str = f('string');
const bool = f('bool');
const list = f('stringList');
const obj = (
  key: string,
  label: string,
  help: string,
  fields: FieldSchema[],
  extra: Extra = {},
): FieldSchema => ({ key, label, kind: 'object', help, fields, ...extra });
const objList = (
  key: string,
  label: string,
  help: string,
  fields: FieldSchema[],
  extra: Extra = {},
): FieldSchema => ({ key, label, kind: 'objectList', help, fields, ...extra });
const enumOf = (
  key: string,
  label: string,
  help: string,
  enumValues: string[],
  extra: Extra = {},
): FieldSchema => ({ key, label, kind: 'enum', help, enumValues, ...extra });

const clientID = (help = 'OAuth client id registered at the identity provider.') =>
  str('clientID', 'Client ID', help, { required: 'login' });
const clientSecret = (help = 'OAuth client secret; a "$" in it is eaten by Dex env expansion.') =>
  str('clientSecret', 'Client secret', help, { required: 'login', secret: true });
const redirectURI = () =>
  str('redirectURI', 'Redirect URI', 'Must be exactly <issuer>/callback, and registered at the provider.', {
    required: 'login',
  });

export const CONNECTOR_SCHEMAS: readonly ConnectorSchema[] = [
  {
    type: 'github',
    label: 'GitHub',
    kind: 'callback',
    networkAtStartup: false,
    groupsHelp:
      'With orgs: "org:team" (never a bare "org"); legacy org: bare "team"; loadAllGroups: "org" and "org:team".',
    fields: [
      clientID(),
      clientSecret(),
      redirectURI(),
      objList(
        'orgs',
        'Organizations',
        'Orgs (and optional teams) a user must belong to; name is the exact org login, case-sensitive.',
        [
          str('name', 'Org login', 'The organization login exactly as on GitHub (case-sensitive).', {
            required: 'open',
          }),
          list('teams', 'Teams', 'Team names or slugs (see teamNameField); empty = all teams of the org.'),
        ],
      ),
      str('org', 'Org (legacy)', 'Deprecated single org; cannot be combined with orgs.'),
      str('hostName', 'Enterprise host', 'GitHub Enterprise host name, without "/"; empty = github.com.', {
        default: 'github.com',
      }),
      str('rootCA', 'Root CA', 'CA for the Enterprise host (path, base64 PEM or PEM); needs hostName.'),
      enumOf(
        'teamNameField',
        'Team name field',
        'Which team string becomes the group: name, slug or both.',
        ['', 'name', 'slug', 'both'],
        { default: '' },
      ),
      bool('loadAllGroups', 'Load all groups', 'Without org/orgs: emit every org and team as groups.', {
        default: false,
      }),
      bool(
        'useLoginAsID',
        'Use login as ID',
        "Use the GitHub login as user id; changing it changes every user's subject.",
        { default: false },
      ),
      str(
        'preferredEmailDomain',
        'Preferred email domain',
        'Glob (one "*" per label) for the email to use; must not end in "*".',
        { since: 'v2.36.0' },
      ),
    ],
  },
  {
    type: 'gitlab',
    label: 'GitLab',
    kind: 'callback',
    networkAtStartup: false,
    groupsHelp: 'Full group paths such as "grp/sub"; with getGroupsPermission also "grp:owner" etc.',
    fields: [
      str('baseURL', 'Base URL', 'GitLab instance URL.', { default: 'https://gitlab.com' }),
      clientID(),
      clientSecret(),
      redirectURI(),
      list('groups', 'Groups', 'Login requires membership in one; returned groups are filtered to these.'),
      bool(
        'useLoginAsID',
        'Use login as ID',
        "Use the GitLab username as user id; changing it changes every user's subject.",
        { default: false },
      ),
      bool('getGroupsPermission', 'Groups with permission', 'Also emit "path:role" groups.', {
        default: false,
        since: 'v2.42.0',
      }),
      bool('inheritedGroups', 'Inherited groups', 'Include inherited memberships (needs read_api).', {
        default: false,
        mainOnly: true,
      }),
      str('rootCAData', 'Root CA data', 'Base64 of the PEM CA certificate.', { since: 'v2.45.0' }),
    ],
  },
  {
    type: 'oidc',
    label: 'OpenID Connect',
    kind: 'callback',
    networkAtStartup: true,
    groupsHelp: 'The upstream "groups" claim (or claimMapping.groups); only with insecureEnableGroups: true.',
    fields: [
      str('issuer', 'Issuer', 'Upstream issuer URL; Dex fetches its discovery document at startup.', {
        required: 'open',
      }),
      str('issuerAlias', 'Issuer alias', 'For providers whose discovery issuer differs.', {
        since: 'v2.42.0',
      }),
      clientID('Client id at the provider; also the expected audience.'),
      clientSecret(),
      redirectURI(),
      list('scopes', 'Scopes', 'Replaces the default [profile, email]; openid is always added.'),
      bool('insecureEnableGroups', 'Enable groups', 'Without it the groups claim is dropped.', {
        default: false,
      }),
      list('allowedGroups', 'Allowed groups', 'Login requires one of these groups; groups are filtered.', {
        since: 'v2.38.0',
      }),
      obj(
        'claimMapping',
        'Claim mapping',
        'Claim names to use when the standard claim is missing (snake_case keys).',
        [
          str('preferred_username', 'Preferred username claim', 'Claim for preferred_username.'),
          str('email', 'Email claim', 'Claim for email.'),
          str('groups', 'Groups claim', 'Claim for groups, e.g. cognito:groups.'),
        ],
      ),
      bool(
        'overrideClaimMapping',
        'Override claim mapping',
        'Use claimMapping even when the standard claim exists.',
        { default: false },
      ),
      obj(
        'claimModifications',
        'Claim modifications',
        'Group rewriting rules.',
        [
          objList('newGroupFromClaims', 'New group from claims', 'Builds a group from other claims.', [
            list('claims', 'Claims', 'Claims to join.'),
            str('delimiter', 'Delimiter', 'Joins the claims.', { spaces: 'keep' }),
            bool('clearDelimiter', 'Clear delimiter', 'Remove the delimiter from claim values.'),
            str('prefix', 'Prefix', 'Prefix of the new group.', { spaces: 'keep' }),
          ]),
          obj('filterGroupClaims', 'Filter group claims', 'Keeps only matching groups.', [
            str('groupsFilter', 'Groups filter', 'RE2 regular expression; an invalid one is only logged.'),
          ]),
          obj(
            'modifyGroupNames',
            'Modify group names',
            'Adds a prefix/suffix to every group.',
            [
              str('prefix', 'Prefix', 'Added before each group.', { spaces: 'keep' }),
              str('suffix', 'Suffix', 'Added after each group.', { spaces: 'keep' }),
            ],
            { since: 'v2.44.0' },
          ),
        ],
        { since: 'v2.38.0' },
      ),
      bool('getUserInfo', 'Get user info', 'Merge the userinfo endpoint claims.', { default: false }),
      str(
        'userIDKey',
        'User ID claim',
        "Claim used as user id (default sub); changing it changes every user's subject.",
        { default: 'sub' },
      ),
      str(
        'userNameKey',
        'User name claim',
        'Claim used as name (default name); a missing claim fails login.',
        { default: 'name' },
      ),
      bool('insecureSkipEmailVerified', 'Skip email verified', 'Treat a missing email_verified as true.', {
        default: false,
      }),
      bool('insecureSkipVerify', 'Skip TLS verify', "Do not verify the provider's TLS certificate.", {
        default: false,
      }),
      list('rootCAs', 'Root CAs', 'CA file paths (a list, never a single string).'),
      bool(
        'basicAuthUnsupported',
        'Basic auth unsupported',
        'Send client credentials in the body; leave unset for auto-detection.',
        { keepAbsent: true },
      ),
      str('promptType', 'Prompt type', 'OIDC prompt parameter; leave unset for "consent".', {
        keepAbsent: true,
      }),
      list('acrValues', 'ACR values', 'Requested authentication context class references.'),
      list(
        'hostedDomains',
        'Hosted domains',
        'Removed feature: must stay empty, otherwise Dex fails to open the connector.',
      ),
      obj(
        'providerDiscoveryOverrides',
        'Discovery overrides',
        'Endpoints used instead of the discovered ones.',
        [
          str('tokenURL', 'Token URL', 'Override of token_endpoint.'),
          str('authURL', 'Auth URL', 'Override of authorization_endpoint.'),
          str('jwksURL', 'JWKS URL', 'Override of jwks_uri.', { since: 'v2.40.0' }),
          str('userInfoURL', 'User info URL', 'Override of userinfo_endpoint.', { mainOnly: true }),
          str('deviceAuthURL', 'Device auth URL', 'Override of device_authorization_endpoint.', {
            mainOnly: true,
          }),
          str('endSessionURL', 'End session URL', 'Override of end_session_endpoint.', { mainOnly: true }),
        ],
        { since: 'v2.38.0' },
      ),
      enumOf(
        'pkceChallenge',
        'PKCE challenge',
        'PKCE method towards the provider; empty = automatic.',
        ['', 'S256', 'plain'],
        { since: 'v2.45.0' },
      ),
      bool('usePKCE', 'Use PKCE (Epinio fork)', "Epinio's Dex fork only; upstream Dex ignores it.", {
        default: false,
      }),
    ],
  },
  {
    type: 'ldap',
    label: 'LDAP',
    kind: 'password',
    networkAtStartup: false,
    groupsHelp:
      'The groupSearch.nameAttr value of each group, e.g. "epinio-admins" for cn; needs groupSearch.baseDN.',
    fields: [
      str(
        'host',
        'Host',
        'host[:port], without a scheme (Dex adds it: "ldap://host" makes every login fail); without a port :636 is used (:389 with insecureNoSSL).',
        {
          required: 'open',
        },
      ),
      bool('insecureNoSSL', 'No TLS', 'Plain LDAP without TLS.', { default: false }),
      bool('insecureSkipVerify', 'Skip TLS verify', 'Do not verify the server certificate.', {
        default: false,
      }),
      bool('startTLS', 'StartTLS', 'Upgrade a plain connection with StartTLS.', { default: false }),
      str('rootCA', 'Root CA file', 'Path of the CA certificate file.'),
      str('rootCAData', 'Root CA data', 'Base64 of the PEM CA certificate; wins over rootCA.'),
      str('clientCert', 'Client certificate', 'Path of a client certificate (used with clientKey).'),
      str('clientKey', 'Client key', 'Path of the client key file (a credential).', { sensitive: true }),
      str('bindDN', 'Bind DN', 'Service account DN; empty with bindPW = anonymous bind.'),
      str('bindPW', 'Bind password', 'Service account password; a "$" in it is eaten by Dex env expansion.', {
        secret: true,
      }),
      str('usernamePrompt', 'Username prompt', 'Label of the username field on the login page.', {
        default: 'Username',
        spaces: 'keep',
      }),
      obj(
        'userSearch',
        'User search',
        'How users are found.',
        [
          str('baseDN', 'Base DN', 'Where users are searched.', { required: 'open' }),
          str('filter', 'Filter', 'Extra LDAP filter in parentheses, e.g. (objectClass=person).'),
          str('username', 'Username attribute', 'Attribute compared with the typed username, e.g. uid.', {
            required: 'open',
          }),
          enumOf('scope', 'Scope', 'sub (whole subtree) or one (one level).', ['', 'sub', 'one'], {
            default: 'sub',
          }),
          str(
            'idAttr',
            'ID attribute',
            "Attribute used as user id (DN = entry DN); changing it changes every user's subject.",
            { required: 'login' },
          ),
          str(
            'emailAttr',
            'Email attribute',
            'Attribute holding the email; required unless emailSuffix is set.',
            { required: 'login' },
          ),
          str('nameAttr', 'Name attribute', 'Attribute holding the display name.'),
          str('preferredUsernameAttr', 'Preferred username attribute', 'Attribute for preferred_username.'),
          str('emailSuffix', 'Email suffix', 'Builds email as <nameAttr value>@<suffix>.'),
        ],
        { required: 'open' },
      ),
      obj('groupSearch', 'Group search', 'How groups are found; empty baseDN = no groups.', [
        str('baseDN', 'Base DN', 'Where groups are searched.'),
        str('filter', 'Filter', 'Extra LDAP filter in parentheses, e.g. (objectClass=groupOfNames).'),
        enumOf('scope', 'Scope', 'sub (whole subtree) or one (one level).', ['', 'sub', 'one'], {
          default: 'sub',
        }),
        objList('userMatchers', 'User matchers', 'Group attribute that must equal a user attribute.', [
          str('userAttr', 'User attribute', 'User attribute, e.g. DN or uid.'),
          str('groupAttr', 'Group attribute', 'Group attribute, e.g. member.'),
          str('recursionGroupAttr', 'Recursion attribute', 'Attribute for nested groups.', {
            since: 'v2.44.0',
          }),
        ]),
        str('userAttr', 'User attribute (deprecated)', 'Flat form; use userMatchers.'),
        str('groupAttr', 'Group attribute (deprecated)', 'Flat form; use userMatchers.'),
        str('recursionGroupAttr', 'Recursion attribute (deprecated)', 'Flat form; use userMatchers.'),
        str(
          'nameAttr',
          'Name attribute',
          'Attribute that becomes the group name, e.g. cn; required with baseDN.',
        ),
      ]),
      obj('kerberos', 'Kerberos', 'SPNEGO login (Dex main only).', [], { mainOnly: true }),
    ],
  },
  {
    type: 'saml',
    label: 'SAML 2.0',
    kind: 'saml',
    networkAtStartup: false,
    groupsHelp: 'The values of the groupsAttr attribute, split by groupsDelim when set.',
    fields: [
      str('ssoURL', 'SSO URL', 'IdP single sign-on URL.', { required: 'open' }),
      str('usernameAttr', 'Username attribute', 'Exact, case-sensitive attribute name.', {
        required: 'open',
      }),
      str('emailAttr', 'Email attribute', 'Exact, case-sensitive attribute name.', { required: 'open' }),
      str(
        'redirectURI',
        'ACS URL',
        'Must be exactly <issuer>/callback; also the audience without entityIssuer.',
        { required: 'open' },
      ),
      str('ca', 'CA file', 'Path of the IdP signing CA; set exactly one of ca and caData.'),
      str('caData', 'CA data', 'Base64 of the PEM IdP signing CA; set exactly one of ca and caData.'),
      bool(
        'insecureSkipSignatureValidation',
        'Skip signature validation',
        'Accept unsigned responses (insecure).',
        { default: false },
      ),
      str('entityIssuer', 'Entity issuer', 'SP entity id and expected audience.'),
      str('ssoIssuer', 'SSO issuer', 'Expected IdP issuer.'),
      str('groupsAttr', 'Groups attribute', 'Attribute holding the groups (not "groupAttr").'),
      str('groupsDelim', 'Groups delimiter', 'Splits a single attribute value.', { spaces: 'keep' }),
      list('allowedGroups', 'Allowed groups', 'Login requires one of these; needs groupsAttr.'),
      bool('filterGroups', 'Filter groups', 'Keep only allowedGroups.', { default: false }),
      str(
        'nameIDPolicyFormat',
        'NameID policy format',
        'A full URN or a short name such as persistent or emailAddress.',
        { default: 'persistent' },
      ),
    ],
  },
  {
    type: 'google',
    label: 'Google',
    kind: 'callback',
    networkAtStartup: true,
    groupsHelp:
      'Group email addresses such as admins@example.com; needs a service account and domainToAdminEmail.',
    fields: [
      clientID(),
      clientSecret(),
      redirectURI(),
      list('scopes', 'Scopes', 'Replaces the default [profile, email]; openid is added.'),
      list('hostedDomains', 'Hosted domains', 'The hd claim must be one of these.'),
      list('groups', 'Groups', 'Login requires membership; groups are filtered.'),
      str(
        'serviceAccountFilePath',
        'Service account file',
        'Path of the service account JSON (a credential); needs domainToAdminEmail.',
        { sensitive: true },
      ),
      {
        key: 'domainToAdminEmail',
        label: 'Admin email per domain',
        kind: 'stringMap',
        help: 'Domain (or "*") to the admin email to impersonate.',
        since: 'v2.37.0',
      },
      str('adminEmail', 'Admin email (deprecated)', 'Same as domainToAdminEmail["*"].'),
      bool('fetchTransitiveGroupMembership', 'Transitive groups', 'Include nested group memberships.', {
        default: false,
        since: 'v2.31.0',
      }),
      str('promptType', 'Prompt type', 'OIDC prompt parameter; leave unset for "consent".', {
        keepAbsent: true,
        since: 'v2.40.0',
      }),
    ],
  },
  {
    type: 'microsoft',
    label: 'Microsoft',
    kind: 'callback',
    networkAtStartup: false,
    groupsHelp:
      'Group displayName by default, or object id with groupNameFormat: id; needs a specific tenant.',
    fields: [
      clientID(),
      clientSecret('Client secret (not needed with clientAssertion).'),
      str('clientAssertion', 'Client assertion file', 'Path of a federated token file (a credential).', {
        sensitive: true,
        mainOnly: true,
      }),
      redirectURI(),
      str('tenant', 'Tenant', 'Tenant id or domain; groups need a specific tenant, not common.', {
        default: 'common',
      }),
      list('groups', 'Groups', 'Login requires membership in one.'),
      bool('useGroupsAsWhitelist', 'Filter groups', 'Also filter groups to the list.', { default: false }),
      bool('onlySecurityGroups', 'Only security groups', 'Ignore non-security groups.', { default: false }),
      enumOf(
        'groupNameFormat',
        'Group name format',
        'name (display name) or id (object id, unique).',
        ['name', 'id'],
        { default: 'name' },
      ),
      bool('emailToLowercase', 'Lowercase email', 'Lowercase the email.', { default: false }),
      str('apiURL', 'API URL', 'Login endpoint for national clouds.', { since: 'v2.38.0' }),
      str('graphURL', 'Graph URL', 'Graph endpoint for national clouds.', { since: 'v2.38.0' }),
      list('scopes', 'Scopes', 'Default [user.read].'),
      str('promptType', 'Prompt type', 'OIDC prompt parameter.'),
      str('domainHint', 'Domain hint', 'Pre-fills the account domain.'),
      bool('batchGroupLookups', 'Batch group lookups', 'Dex main only.', { mainOnly: true }),
      str('preferredUsernameField', 'Preferred username field', 'Dex main only.', { mainOnly: true }),
    ],
  },
  {
    type: 'bitbucket-cloud',
    label: 'Bitbucket Cloud',
    kind: 'callback',
    networkAtStartup: false,
    groupsHelp: 'Workspace slugs; with includeTeamGroups also "workspace/group".',
    fields: [
      clientID(),
      clientSecret(),
      redirectURI(),
      list('teams', 'Workspaces', 'Workspace slugs; login requires membership, groups are filtered.'),
      bool('includeTeamGroups', 'Include team groups', 'Add "workspace/group" groups.', { default: false }),
      bool('getWorkspacePermissions', 'Workspace permissions', 'Dex main only.', {
        default: false,
        mainOnly: true,
      }),
    ],
  },
  {
    type: 'gitea',
    label: 'Gitea',
    kind: 'callback',
    networkAtStartup: false,
    groupsHelp: '"org" and "org:team"; with orgs only the configured ones.',
    fields: [
      str('baseURL', 'Base URL', 'Gitea instance URL.', { default: 'https://gitea.com' }),
      clientID(),
      clientSecret(),
      redirectURI(),
      objList('orgs', 'Organizations', 'Orgs (and optional teams) to load groups from.', [
        str('name', 'Org name', 'Organization name.', { required: 'open' }),
        list('teams', 'Teams', 'Team names; empty = all.'),
      ]),
      bool('loadAllGroups', 'Load all groups', 'Emit every org and team.', { default: false }),
      bool(
        'useLoginAsID',
        'Use login as ID',
        "Use the login as user id; changing it changes every user's subject.",
        { default: false },
      ),
    ],
  },
  {
    type: 'openshift',
    label: 'OpenShift',
    kind: 'callback',
    networkAtStartup: true,
    groupsHelp: 'The OpenShift User.groups, always returned.',
    fields: [
      str('issuer', 'API server URL', 'OpenShift API server URL; discovery happens at startup.', {
        required: 'open',
      }),
      clientID('OAuth client name in OpenShift.'),
      clientSecret(),
      redirectURI(),
      list('groups', 'Groups', 'Login requires membership in one (groups are not filtered).'),
      bool('insecureCA', 'Skip TLS verify', 'Do not verify the API server certificate.', { default: false }),
      str('rootCA', 'Root CA', 'Path, base64 PEM or PEM of the API server CA.'),
    ],
  },
  {
    type: 'oauth',
    label: 'Generic OAuth 2',
    kind: 'callback',
    networkAtStartup: false,
    groupsHelp: 'The groupsKey values from userinfo (and a JWT access token).',
    fields: [
      clientID(),
      clientSecret(),
      redirectURI(),
      str('authorizationURL', 'Authorization URL', 'Provider authorization endpoint.', { required: 'login' }),
      str('tokenURL', 'Token URL', 'Provider token endpoint.', { required: 'login' }),
      str('userInfoURL', 'User info URL', 'Provider userinfo endpoint.', { required: 'login' }),
      list('scopes', 'Scopes', 'Sent as given.'),
      list('rootCAs', 'Root CAs', 'CA file paths (a list).'),
      bool('insecureSkipVerify', 'Skip TLS verify', 'Do not verify TLS certificates.', { default: false }),
      str(
        'userIDKey',
        'User ID key',
        "userinfo key used as user id; changing it changes every user's subject.",
        { default: 'id' },
      ),
      obj('claimMapping', 'Claim mapping', 'userinfo keys (camelCase ...Key names).', [
        str('userNameKey', 'User name key', 'Default user_name.', { default: 'user_name' }),
        str('preferredUsernameKey', 'Preferred username key', 'Default preferred_username.', {
          default: 'preferred_username',
        }),
        str('groupsKey', 'Groups key', 'Default groups.', { default: 'groups' }),
        str('emailKey', 'Email key', 'Default email.', { default: 'email' }),
        str('emailVerifiedKey', 'Email verified key', 'Default email_verified.', {
          default: 'email_verified',
        }),
      ]),
    ],
  },
  {
    type: 'keystone',
    label: 'OpenStack Keystone',
    kind: 'password',
    networkAtStartup: false,
    groupsHelp: 'Keystone group names.',
    fields: [
      str('keystoneHost', 'Keystone URL', 'Keystone v3 base URL.', { required: 'login' }),
      str('domain', 'Domain', 'A UUID or "default" is sent as id, anything else as name.', {
        required: 'login',
      }),
      str('keystoneUsername', 'Admin username', 'Admin account for refresh and groups.', {
        required: 'login',
      }),
      str('keystonePassword', 'Admin password', 'Password of the admin account.', {
        required: 'login',
        secret: true,
      }),
    ],
  },
  {
    type: 'atlassian-crowd',
    label: 'Atlassian Crowd',
    kind: 'password',
    networkAtStartup: false,
    groupsHelp: 'Crowd group names, including nested groups; filtered by groups.',
    fields: [
      str('baseURL', 'Base URL', 'Crowd server URL.', { required: 'open' }),
      clientID('Crowd application name.'),
      clientSecret('Crowd application password.'),
      list('groups', 'Groups', 'Login requires membership; groups are filtered.'),
      enumOf(
        'preferredUsernameField',
        'Preferred username field',
        'key, name or email.',
        ['', 'key', 'name', 'email'],
        { default: '' },
      ),
      str('usernamePrompt', 'Username prompt', 'Label of the username field.', { spaces: 'keep' }),
    ],
  },
  {
    type: 'linkedin',
    label: 'LinkedIn',
    kind: 'callback',
    networkAtStartup: false,
    groupsHelp: 'No groups: LinkedIn users cannot be matched in rolesMapping.',
    fields: [clientID(), clientSecret(), redirectURI()],
  },
  {
    type: 'authproxy',
    label: 'Authenticating proxy',
    kind: 'header',
    networkAtStartup: false,
    groupsHelp: 'The group header split by groupHeaderSeparator, plus staticGroups.',
    fields: [
      str('userHeader', 'User header', 'Must be present at login.', { default: 'X-Remote-User' }),
      str('userIDHeader', 'User ID header', 'Header with the user id.', {
        default: 'X-Remote-User-Id',
        since: 'v2.38.0',
      }),
      str('userNameHeader', 'User name header', 'Header with the user name.', {
        default: 'X-Remote-User-Name',
        since: 'v2.42.0',
      }),
      str('emailHeader', 'Email header', 'Header with the email.', {
        default: 'X-Remote-User-Email',
        since: 'v2.38.0',
      }),
      str('groupHeader', 'Group header', 'Header with the groups.', { default: 'X-Remote-Group' }),
      str('groupHeaderSeparator', 'Group separator', 'Splits the group header.', {
        default: ',',
        since: 'v2.44.0',
        spaces: 'keep',
      }),
      list('staticGroups', 'Static groups', 'Added to every user.'),
    ],
  },
];

/** Types valid in `connectors:` that have no schema: Dex's test connectors. */
export const TEST_CONNECTOR_TYPES = ['mockCallback', 'mockPassword'] as const;
/** Legacy alias of saml. */
export const LEGACY_TYPES: Record<string, string> = { samlExperimental: 'saml' };

const BY_TYPE = new Map(CONNECTOR_SCHEMAS.map((s) => [s.type, s]));

export function schemaFor(type: string): ConnectorSchema | undefined {
  return BY_TYPE.get(type) ?? BY_TYPE.get(LEGACY_TYPES[type] ?? '');
}

/** The schema of `key` among `fields`, matched like Dex matches JSON keys (case-insensitively). */
export function fieldFor(fields: readonly FieldSchema[], key: string): FieldSchema | undefined {
  return fields.find((f) => f.key === key) ?? fields.find((f) => f.key.toLowerCase() === key.toLowerCase());
}

/** The schema at a path inside `config` (list indices step into objectList items). */
export function fieldAt(type: string, path: readonly (string | number)[]): FieldSchema | undefined {
  let fields: readonly FieldSchema[] | undefined = schemaFor(type)?.fields;
  let field: FieldSchema | undefined;
  for (const part of path) {
    if (typeof part === 'number') {
      if (field?.kind !== 'objectList') return undefined;
      continue;
    }
    if (field?.kind === 'stringMap') return undefined;
    if (!fields) return undefined;
    field = fieldFor(fields, part);
    if (!field) return undefined;
    fields = field.fields;
  }
  return field;
}
