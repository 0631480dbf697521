// The command table: names, arguments, flags and help text. Kept free of implementation imports so
// parsing argv and printing help or the version never load the store, React or the Kubernetes client;
// each command's code is loaded on demand through `load`.
import type { FlagSpec } from '../cliOptions.js';
import { GITOPS_COMMANDS } from './gitopsSpecs.js';
import type { CommandSpec, GroupSpec } from './types.js';

export type { ArgSpec, CommandSpec, GroupSpec } from './types.js';

const passwordFlags: FlagSpec[] = [
  {
    name: 'password-stdin',
    kind: 'boolean',
    help: 'read the password from stdin (one trailing newline is removed)',
  },
  { name: 'cost', kind: 'string', valueName: 'N', help: 'bcrypt cost, 10 to 14 (default: 10)' },
  { name: 'dry-run', kind: 'boolean', help: 'check and hash the password, but write nothing' },
];

const allowLockoutFlag: FlagSpec = {
  name: 'allow-lockout',
  kind: 'boolean',
  help: 'save even when no administrator could get in afterwards (the lockout guard)',
};

/** The flags every dex-config edit command has. */
export const EDIT_FLAGS: FlagSpec[] = [
  { name: 'dry-run', kind: 'boolean', help: 'show the masked diff and the problems, write nothing' },
  { name: 'force', kind: 'boolean', help: 'save even when the edit adds validation errors' },
  allowLockoutFlag,
];

// Connector config values (connectorValues.ts reads them); secrets never from --set.
export const VALUE_FLAGS: FlagSpec[] = [
  {
    name: 'set',
    kind: 'list',
    valueName: 'KEY=VALUE',
    help: 'a config value, KEY a path like issuer or claimMapping.groups (repeatable; not for secrets)',
  },
  {
    name: 'secret-env',
    kind: 'list',
    valueName: 'KEY=VAR',
    help: 'a secret config value from the environment variable VAR (repeatable)',
  },
  {
    name: 'secret-file',
    kind: 'list',
    valueName: 'KEY=PATH',
    help: 'a secret config value from a file, one trailing newline removed (repeatable)',
  },
  { name: 'secret-stdin', kind: 'string', valueName: 'KEY', help: 'a secret config value from stdin' },
];

const SAVE_NOTE =
  'Shows the masked diff, the problems and the impact (whose roles change) of the result; --dry-run stops there. The save keeps the loaded resourceVersion as its precondition (exit 5 on a conflict); it is refused when no administrator could get in afterwards, unless --allow-lockout, and when it adds validation errors, unless --force.';
const toFlag = (what: string): FlagSpec => ({
  name: 'to',
  kind: 'string',
  valueName: 'N',
  help: `the ${what}'s position, 0 first`,
});
const rolesFlag: FlagSpec = {
  name: 'roles',
  kind: 'string',
  valueName: 'R1,R2',
  help: 'Epinio roles, optionally role:namespace, separated by commas',
};
const dexPasswordFlag: FlagSpec = {
  name: 'password-stdin',
  kind: 'boolean',
  help: 'read the password from stdin (else a masked prompt on a terminal); bcrypt cost 12',
};
const connectorLoad = () => import('./connectorEdits.js');
const mappingLoad = () => import('./mappingWrites.js');
const dexUsersLoad = () => import('./dexUsers.js');

const EDIT_COMMANDS: CommandSpec[] = [
  {
    path: ['connectors', 'add'],
    summary: 'add a connector',
    description: `TYPE is a Dex connector type (github, oidc, ldap, ...). The config comes from -f (a YAML mapping, which may hold secrets) and --set; secret fields never from --set. ${SAVE_NOTE}`,
    args: [
      { name: 'TYPE', required: true },
      { name: 'ID', required: true },
    ],
    flags: [
      { name: 'name', kind: 'string', valueName: 'NAME', help: 'the name on the login page (required)' },
      {
        name: 'config-file',
        short: 'f',
        kind: 'string',
        valueName: 'PATH',
        help: "YAML file with the connector's config mapping",
      },
      ...VALUE_FLAGS,
      toFlag('connector'),
      ...EDIT_FLAGS,
    ],
    writes: true,
    examples: [
      'connectors add github gh --name GitHub --set clientID=abc --set redirectURI=https://dex.example.com/callback --secret-env clientSecret=GH_SECRET --dry-run',
    ],
    load: connectorLoad,
  },
  {
    path: ['connectors', 'set'],
    summary: "change a connector's name or config values",
    description: SAVE_NOTE,
    args: [{ name: 'ID', required: true }],
    flags: [
      { name: 'name', kind: 'string', valueName: 'NAME', help: 'a new name for the login page' },
      ...VALUE_FLAGS,
      { name: 'unset', kind: 'list', valueName: 'KEY', help: 'remove a config value (repeatable)' },
      ...EDIT_FLAGS,
    ],
    writes: true,
    examples: [
      'connectors set ldap --set host=ldap.example.com:636 --secret-stdin bindPW < bind-password.txt',
    ],
    load: connectorLoad,
  },
  {
    path: ['connectors', 'delete'],
    summary: 'delete a connector',
    description: SAVE_NOTE,
    args: [{ name: 'ID', required: true }],
    flags: [
      { name: 'remove-mappings', kind: 'boolean', help: "also remove the connector's rolesMapping entries" },
      ...EDIT_FLAGS,
    ],
    writes: true,
    examples: ['connectors delete ldap --remove-mappings --dry-run'],
    load: connectorLoad,
  },
  {
    path: ['connectors', 'move'],
    summary: 'move a connector in the login page order',
    description: SAVE_NOTE,
    args: [{ name: 'ID', required: true }],
    flags: [
      toFlag('connector'),
      { name: 'before', kind: 'string', valueName: 'ID', help: 'put it right before this connector' },
      ...EDIT_FLAGS,
    ],
    writes: true,
    examples: ['connectors move ldap --before github'],
    load: connectorLoad,
  },
  {
    path: ['connectors', 'rename'],
    summary: "change a connector's id (and the references to it in config.yaml)",
    description: `The id is part of the callback URL and of every user's Dex identity. ${SAVE_NOTE}`,
    args: [
      { name: 'ID', required: true },
      { name: 'NEW', required: true },
    ],
    flags: [
      { name: 'update-mappings', kind: 'boolean', help: 'rename it in rolesMapping too' },
      ...EDIT_FLAGS,
    ],
    writes: true,
    examples: ['connectors rename ldap corp-ldap --update-mappings'],
    load: connectorLoad,
  },
  {
    path: ['mappings', 'add-entry'],
    summary: 'add a rolesMapping entry for a connector',
    description: SAVE_NOTE,
    args: [{ name: 'CONNECTOR', required: true }],
    flags: [toFlag('entry'), ...EDIT_FLAGS],
    writes: true,
    examples: ['mappings add-entry keycloak'],
    load: mappingLoad,
  },
  {
    path: ['mappings', 'add-group'],
    summary: "map a connector's group to Epinio roles (adds the entry when needed)",
    description: SAVE_NOTE,
    args: [
      { name: 'CONNECTOR', required: true },
      { name: 'GROUP', required: true },
    ],
    flags: [rolesFlag, toFlag('group'), ...EDIT_FLAGS],
    writes: true,
    examples: ['mappings add-group github acme:ops --roles admin,application_developer:team-blue'],
    load: mappingLoad,
  },
  {
    path: ['mappings', 'set-roles'],
    summary: 'replace the roles of a mapped group',
    description: SAVE_NOTE,
    args: [
      { name: 'CONNECTOR', required: true },
      { name: 'GROUP', required: true },
    ],
    flags: [rolesFlag, ...EDIT_FLAGS],
    writes: true,
    examples: ['mappings set-roles ldap epinio-viewers --roles view_only'],
    load: mappingLoad,
  },
  {
    path: ['mappings', 'remove'],
    summary: "remove a connector's entry, or one group of it",
    description: SAVE_NOTE,
    args: [
      { name: 'CONNECTOR', required: true },
      { name: 'GROUP', required: false },
    ],
    flags: EDIT_FLAGS,
    writes: true,
    examples: ['mappings remove github acme:ops'],
    load: mappingLoad,
  },
  {
    path: ['mappings', 'move'],
    summary: 'move an entry, or a group inside its entry',
    description: SAVE_NOTE,
    args: [
      { name: 'CONNECTOR', required: true },
      { name: 'GROUP', required: false },
    ],
    flags: [toFlag('entry or group'), ...EDIT_FLAGS],
    writes: true,
    examples: ['mappings move local --to 0'],
    load: mappingLoad,
  },
  {
    path: ['mappings', 'convert'],
    summary: 'convert a legacy rolesMapping to the modern format (Epinio >= 1.11)',
    description: SAVE_NOTE,
    args: [],
    flags: [
      {
        name: 'connector',
        kind: 'string',
        valueName: 'ID',
        help: 'the connector of a legacy mapping that names none',
      },
      ...EDIT_FLAGS,
    ],
    writes: true,
    examples: ['mappings convert --dry-run'],
    load: mappingLoad,
  },
  {
    path: ['dex-users', 'list'],
    summary: 'list Dex local users (never their hashes)',
    args: [],
    flags: [],
    writes: false,
    examples: ['dex-users list -o json'],
    load: dexUsersLoad,
  },
  {
    path: ['dex-users', 'add'],
    summary: 'add a Dex local user (a staticPasswords entry)',
    description: `The password comes from stdin with --password-stdin or from a masked prompt (asked twice). ${SAVE_NOTE}`,
    args: [{ name: 'EMAIL', required: true }],
    flags: [
      { name: 'username', kind: 'string', valueName: 'NAME', help: 'the display name Dex gives the login' },
      { name: 'group', kind: 'list', valueName: 'G', help: 'a group of the user (repeatable)' },
      dexPasswordFlag,
      ...EDIT_FLAGS,
    ],
    writes: true,
    examples: ['dex-users add jane@example.com --username jane --password-stdin < password.txt'],
    load: dexUsersLoad,
  },
  {
    path: ['dex-users', 'set-password'],
    summary: "set a Dex local user's password",
    description: `The password comes from stdin with --password-stdin or from a masked prompt (asked twice). ${SAVE_NOTE}`,
    args: [{ name: 'EMAIL', required: true }],
    flags: [dexPasswordFlag, ...EDIT_FLAGS],
    writes: true,
    examples: ['dex-users set-password jane@example.com --password-stdin < password.txt'],
    load: dexUsersLoad,
  },
  {
    path: ['dex-users', 'remove'],
    summary: 'remove a Dex local user',
    description: SAVE_NOTE,
    args: [{ name: 'EMAIL', required: true }],
    flags: EDIT_FLAGS,
    writes: true,
    examples: ['dex-users remove jane@example.com'],
    load: dexUsersLoad,
  },
];

export const GROUPS: readonly GroupSpec[] = [
  { name: 'connectors', summary: 'Dex connectors in config.yaml' },
  { name: 'mappings', summary: 'rolesMapping: which groups get which Epinio roles' },
  { name: 'users', summary: 'Epinio users (user Secrets)' },
  { name: 'roles', summary: 'Epinio roles (built-in admin and role ConfigMaps)' },
  { name: 'dex-users', summary: 'Dex local users (staticPasswords in config.yaml)' },
  { name: 'dex', summary: 'the Dex Deployment' },
  { name: 'backups', summary: 'backups of dex-config taken before each save' },
  { name: 'logins', summary: "who logged in through Dex, with their groups (Dex's own storage)" },
  { name: 'history', summary: 'the shared revision history of dex-config (Secret dex-config-history)' },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['connectors', 'list'],
    summary: 'list the connectors with their problem counts',
    args: [],
    flags: [],
    writes: false,
    examples: ['connectors list -o json'],
    load: () => import('./connectors.js'),
  },
  {
    path: ['connectors', 'show'],
    summary: 'show one connector; secret fields are masked as ***',
    args: [{ name: 'ID', required: true }],
    flags: [{ name: 'show-secrets', kind: 'boolean', help: 'print secret fields in clear text' }],
    writes: false,
    examples: ['connectors show ldap -o yaml'],
    load: () => import('./connectors.js'),
  },
  ...EDIT_COMMANDS.filter((c) => c.path[0] === 'connectors'),
  {
    path: ['mappings', 'list'],
    summary: 'list rolesMapping entries',
    args: [],
    flags: [],
    writes: false,
    examples: ['mappings list'],
    load: () => import('./mappings.js'),
  },
  {
    path: ['mappings', 'simulate'],
    summary: 'which roles a login with these groups would get',
    args: [],
    flags: [
      {
        name: 'connector',
        kind: 'string',
        valueName: 'ID',
        help: 'connector id of the login (local for the password DB)',
      },
      { name: 'group', kind: 'list', valueName: 'G', help: 'a group of the login (repeatable)' },
      {
        name: 'semantics',
        kind: 'string',
        valueName: 'modern|legacy',
        help: 'evaluate as Epinio >= 1.11 (modern) or <= 1.10 (legacy); default: detected',
      },
    ],
    writes: false,
    examples: ['mappings simulate --connector github --group acme:developers --group acme:ops'],
    load: () => import('./mappings.js'),
  },
  ...EDIT_COMMANDS.filter((c) => c.path[0] === 'mappings'),
  {
    path: ['validate'],
    summary: 'check config.yaml, rolesMapping, users and roles; exit 1 on errors',
    args: [],
    flags: [],
    writes: false,
    examples: ['validate -o json'],
    load: () => import('./validate.js'),
  },
  {
    path: ['users', 'list'],
    summary: 'list Epinio users',
    args: [],
    flags: [],
    writes: false,
    examples: ['users list -o yaml'],
    load: () => import('./users.js'),
  },
  {
    path: ['users', 'set-password'],
    summary: "set a user's password (bcrypt)",
    description:
      'The password comes from stdin with --password-stdin, or from a masked prompt (asked twice) when stdin is a terminal. It is never accepted as an argument or environment variable.',
    args: [{ name: 'USERNAME', required: true }],
    flags: passwordFlags,
    writes: true,
    examples: ['users set-password admin --password-stdin < password.txt'],
    load: () => import('./userWrites.js'),
  },
  {
    path: ['users', 'set-roles'],
    summary: "replace a user's roles",
    args: [{ name: 'USERNAME', required: true }],
    flags: [
      {
        name: 'role',
        kind: 'list',
        valueName: 'R',
        help: 'a role id, optionally role:namespace (repeatable)',
      },
      allowLockoutFlag,
    ],
    writes: true,
    examples: ['users set-roles jane@example.com --role application_developer --role admin:team-blue'],
    load: () => import('./userWrites.js'),
  },
  {
    path: ['users', 'create'],
    summary: 'create a user Secret',
    description:
      'Give the password with --password-stdin, be prompted on a terminal, or use --no-password for a user who logs in only through Dex.',
    args: [{ name: 'USERNAME', required: true }],
    flags: [
      {
        name: 'role',
        kind: 'list',
        valueName: 'R',
        help: 'a role id, optionally role:namespace (repeatable)',
      },
      { name: 'no-password', kind: 'boolean', help: 'create the user without a password (Dex logins only)' },
      ...passwordFlags,
    ],
    writes: true,
    examples: ['users create jane@example.com --role application_developer --password-stdin < password.txt'],
    load: () => import('./userWrites.js'),
  },
  {
    path: ['users', 'delete'],
    summary: 'delete a user Secret',
    args: [{ name: 'USERNAME', required: true }],
    flags: [{ name: 'yes', kind: 'boolean', help: 'confirm the deletion' }, allowLockoutFlag],
    writes: true,
    examples: ['users delete jane@example.com --yes'],
    load: () => import('./userWrites.js'),
  },
  {
    path: ['users', 'explain'],
    summary: 'why a user has its roles, now and at its next request (saved mapping)',
    description:
      "Shows the roles of the user's Secret, and for each recorded Dex login of the user (matched by email) the roles its next request gives under the saved rolesMapping, with the entry, the matched groups, the roles skipped because the server does not know them and the default role, for the detected semantics and the other one. Without a recorded login the groups are unknown: it says so and shows what a login with no matching group gets.",
    args: [{ name: 'USERNAME', required: true }],
    flags: [],
    writes: false,
    examples: ['users explain jane@example.com -o yaml'],
    load: () => import('./usersExplain.js'),
  },
  {
    path: ['roles', 'list'],
    summary: 'list the roles users and mappings may use',
    args: [],
    flags: [],
    writes: false,
    examples: ['roles list'],
    load: () => import('./roles.js'),
  },
  ...EDIT_COMMANDS.filter((c) => c.path[0] === 'dex-users'),
  {
    path: ['dex', 'restart'],
    summary: 'restart Dex so it reads config.yaml again (like kubectl rollout restart)',
    args: [],
    flags: [
      { name: 'wait', kind: 'boolean', help: 'follow the rollout until it is ready or times out' },
      {
        name: 'timeout',
        kind: 'string',
        valueName: 'DURATION',
        help: 'how long --wait follows the rollout (default: 5m)',
      },
      {
        name: 'rollback-on-failure',
        kind: 'boolean',
        help: 'with --wait: when the new Dex pod fails, restore the backup the last save took, restart and verify again',
      },
    ],
    writes: true,
    examples: ['dex restart --wait --timeout 2m', 'dex restart --wait --rollback-on-failure'],
    load: () => import('./dex.js'),
  },
  {
    path: ['backups', 'list'],
    summary: 'list backups of dex-config',
    args: [],
    flags: [],
    writes: false,
    examples: ['backups list'],
    load: () => import('./backups.js'),
  },
  {
    path: ['backups', 'restore'],
    summary: 'write a backup over the current dex-config',
    description: `The keys the backup holds are written back. ${SAVE_NOTE} The restore records a revision of its own.`,
    args: [{ name: 'ID', required: true }],
    flags: EDIT_FLAGS,
    writes: true,
    examples: [
      'backups restore 2026-01-31T10-00-00-000Z-abc123 --dry-run',
      'backups restore 2026-01-31T10-00-00-000Z-abc123',
    ],
    load: () => import('./backups.js'),
  },
  {
    path: ['logins', 'list'],
    summary: 'list the identities Dex recorded, with the groups of their latest login',
    description:
      "Read from Dex's Kubernetes storage (refreshtokens and offlinesessionses in group dex.coreos.com, in the Epinio namespace): connector, email or username, groups, last use, and the Epinio user Secret the identity is (by email; (new): created at its next request). Token values are never read into the output. Needs get/list on those two resources.",
    args: [],
    flags: [
      {
        name: 'connector',
        kind: 'list',
        valueName: 'ID',
        help: 'only logins through this connector (repeatable)',
      },
    ],
    writes: false,
    examples: ['logins list --connector ldap -o json'],
    load: () => import('./logins.js'),
  },
  ...GITOPS_COMMANDS,
  {
    path: ['history', 'list'],
    summary: 'list the revisions of dex-config: number, time, author, summary',
    args: [],
    flags: [],
    writes: false,
    examples: ['history list', 'history list -o json'],
    load: () => import('./history.js'),
  },
  {
    path: ['history', 'show'],
    summary: 'show one revision: author, time, summary and its masked diff',
    args: [{ name: 'N', required: true }],
    flags: [],
    writes: false,
    examples: ['history show 12'],
    load: () => import('./history.js'),
  },
  {
    path: ['history', 'rollback'],
    summary: 'write back the keys revision N changed, as they were just before it',
    description: `Later changes to those keys are undone too (the diff shows them); other keys stay. ${SAVE_NOTE} The rollback records a revision of its own.`,
    args: [{ name: 'N', required: true }],
    flags: EDIT_FLAGS,
    writes: true,
    examples: ['history rollback 12 --dry-run', 'history rollback 12'],
    load: () => import('./history.js'),
  },
  {
    path: ['history', 'reapply'],
    summary: "re-apply the tool's revisions a helm upgrade dropped from dex-config",
    description: `Connectors, static passwords and the password database as the tool's revisions left them, and rolesMapping merged line by line, on top of the chart's new output; what is in effect already is skipped. ${SAVE_NOTE}`,
    args: [],
    flags: EDIT_FLAGS,
    writes: true,
    examples: ['history reapply --dry-run', 'history reapply'],
    load: () => import('./history.js'),
  },
];

/** The command named by the leading positionals, if any. */
export function findCommand(positionals: readonly string[]): CommandSpec | undefined {
  return COMMANDS.find((c) => c.path.every((word, i) => positionals[i] === word));
}
