// The command table's entries for files kept in git (export, diff, apply), the access review and
// shell completion (issue 14). Data only, like specs.ts, which lists them last.
import type { FlagSpec } from '../cliOptions.js';
import type { CommandSpec } from './types.js';

const fileFlag: FlagSpec = {
  name: 'filename',
  short: 'f',
  kind: 'string',
  valueName: 'FILE',
  help: 'the desired dex-config, as `export` writes it',
};
const gitopsLoad = () => import('./gitops.js');
// A reference's value at apply time, so a pipeline's secret never lands in the file in git.
const fillFlags: FlagSpec[] = [
  {
    name: 'secret-env',
    kind: 'list',
    valueName: 'PLACE=VAR',
    help: 'fill the reference "<secret:PLACE>" from the environment variable VAR (repeatable)',
  },
  {
    name: 'secret-file',
    kind: 'list',
    valueName: 'PLACE=PATH',
    help: 'fill the reference "<secret:PLACE>" from a file, one trailing newline removed (repeatable)',
  },
  {
    name: 'secret-stdin',
    kind: 'string',
    valueName: 'PLACE',
    help: 'fill the reference "<secret:PLACE>" from stdin',
  },
];

export const GITOPS_COMMANDS: CommandSpec[] = [
  {
    path: ['export'],
    summary: 'print dex-config as a file for git, every secret replaced by a reference',
    description:
      'Writes the dex-config Secret as a manifest with config.yaml and rolesMapping as plain text under stringData, and the resourceVersion it was made from. Each secret value reads "<secret:PLACE>" (e.g. <secret:connectors[github].config.clientSecret>): diff and apply keep the cluster\'s value for a reference left as it is. -o json writes the same Secret as JSON.',
    args: [],
    flags: [],
    writes: false,
    examples: ['export > dex-config.yaml'],
    load: gitopsLoad,
  },
  {
    path: ['diff'],
    summary: 'compare a desired dex-config file with the current state (exit 0 in sync, 8 drift)',
    description:
      "Prints the masked unified diff apply would write, the problems of the desired state and the impact apply --dry-run shows (who gains or loses admin, the lockout guard's refusal). Exit 0 in sync, 8 drift, 9 the desired state adds validation errors (apply refuses it), 5 the file was made from an older resourceVersion (apply refuses it), 10 the cluster cannot be reached, 2 a bad file. Keys the file lacks are not compared; a desired document without comments keeps the cluster copy's.",
    args: [],
    flags: [fileFlag, ...fillFlags],
    writes: false,
    examples: ['diff -f dex-config.yaml'],
    load: gitopsLoad,
  },
  {
    path: ['apply'],
    summary: 'write a desired dex-config file (the checks and the masked diff of every edit)',
    description:
      'Writes config.yaml and rolesMapping as the file holds them (keys it lacks are left as they are; a document without comments keeps the cluster copy\'s comments). References "<secret:PLACE>" keep the cluster\'s value, unless --secret-env/--secret-file/--secret-stdin PLACE fills one in. A file made from an older resourceVersion is a conflict (exit 5): nothing is written. Shows the masked diff and the problems; --dry-run stops there. The save keeps the loaded resourceVersion as its precondition and is refused when it adds validation errors, unless --force, or when no administrator could get in afterwards, unless --allow-lockout.',
    args: [],
    flags: [
      fileFlag,
      ...fillFlags,
      { name: 'dry-run', kind: 'boolean', help: 'show the masked diff and the problems, write nothing' },
      { name: 'force', kind: 'boolean', help: 'save even when the file adds validation errors' },
      {
        name: 'allow-lockout',
        kind: 'boolean',
        help: 'save even when no administrator could get in afterwards (the lockout guard)',
      },
    ],
    writes: true,
    examples: ['apply -f dex-config.yaml --dry-run'],
    load: gitopsLoad,
  },
  {
    path: ['users', 'report'],
    summary: 'access review: per user its source, roles, unknown roles, last login and role drift',
    description:
      "-o csv (RFC 4180; a cell starting with = + - @ is prefixed with ' so spreadsheets never run it), json, yaml or table. Last login and the groups of the next request come from Dex's storage where readable; for a Dex local user the drift is computed from its staticPasswords entry.",
    args: [],
    flags: [],
    writes: false,
    csv: true,
    examples: ['users report -o csv > access-review.csv'],
    load: () => import('./usersReport.js'),
  },
  {
    path: ['completion'],
    summary: 'print the shell completion script for bash, zsh or fish',
    description:
      'bash: source <(epinio-dex-admin completion bash); zsh: source <(epinio-dex-admin completion zsh); fish: epinio-dex-admin completion fish | source. Commands and flags come from the command table; connector ids, usernames and Dex local users are asked for lazily from the current context (the same global flags).',
    args: [{ name: 'SHELL', required: true }],
    flags: [],
    writes: false,
    examples: ['completion bash > /etc/bash_completion.d/epinio-dex-admin'],
    load: () => import('./completion.js'),
  },
  {
    path: ['__complete'],
    summary: 'completion candidates for the shell scripts (one per line)',
    args: [{ name: 'KIND', required: true }],
    flags: [],
    writes: false,
    hidden: true,
    examples: ['__complete connectors'],
    load: () => import('./completion.js'),
  },
];
