// The command table: names, arguments, flags and help text. Kept free of implementation imports so
// parsing argv and printing help or the version never load the store, React or the Kubernetes client;
// each command's code is loaded on demand through `load`.
import type { FlagSpec } from '../cliOptions.js';
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

export const GROUPS: readonly GroupSpec[] = [
  { name: 'connectors', summary: 'Dex connectors in config.yaml' },
  { name: 'mappings', summary: 'rolesMapping: which groups get which Epinio roles' },
  { name: 'users', summary: 'Epinio users (user Secrets)' },
  { name: 'roles', summary: 'Epinio roles (built-in admin and role ConfigMaps)' },
  { name: 'dex', summary: 'the Dex Deployment' },
  { name: 'backups', summary: 'backups of dex-config taken before each save' },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['connectors', 'list'],
    summary: 'list the connectors with their problem counts',
    args: [],
    flags: [],
    writes: false,
    load: () => import('./connectors.js'),
  },
  {
    path: ['connectors', 'show'],
    summary: 'show one connector; secret fields are masked as ***',
    args: [{ name: 'ID', required: true }],
    flags: [{ name: 'show-secrets', kind: 'boolean', help: 'print secret fields in clear text' }],
    writes: false,
    load: () => import('./connectors.js'),
  },
  {
    path: ['mappings', 'list'],
    summary: 'list rolesMapping entries',
    args: [],
    flags: [],
    writes: false,
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
  {
    path: ['validate'],
    summary: 'check config.yaml, rolesMapping, users and roles; exit 1 on errors',
    args: [],
    flags: [],
    writes: false,
    load: () => import('./validate.js'),
  },
  {
    path: ['users', 'list'],
    summary: 'list Epinio users',
    args: [],
    flags: [],
    writes: false,
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
    load: () => import('./userWrites.js'),
  },
  {
    path: ['users', 'delete'],
    summary: 'delete a user Secret',
    args: [{ name: 'USERNAME', required: true }],
    flags: [{ name: 'yes', kind: 'boolean', help: 'confirm the deletion' }],
    writes: true,
    load: () => import('./userWrites.js'),
  },
  {
    path: ['roles', 'list'],
    summary: 'list the roles users and mappings may use',
    args: [],
    flags: [],
    writes: false,
    load: () => import('./roles.js'),
  },
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
    ],
    writes: true,
    load: () => import('./dex.js'),
  },
  {
    path: ['backups', 'list'],
    summary: 'list backups of dex-config',
    args: [],
    flags: [],
    writes: false,
    load: () => import('./backups.js'),
  },
  {
    path: ['backups', 'restore'],
    summary: 'write a backup over the current dex-config',
    args: [{ name: 'ID', required: true }],
    flags: [],
    writes: true,
    load: () => import('./backups.js'),
  },
];

/** The command named by the leading positionals, if any. */
export function findCommand(positionals: readonly string[]): CommandSpec | undefined {
  return COMMANDS.find((c) => c.path.every((word, i) => positionals[i] === word));
}
