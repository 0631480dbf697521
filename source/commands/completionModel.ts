// What the completion scripts know, derived from the command table alone: the words at each
// level, each command's flags, which flags take a value, and what a positional or a flag value
// is (a connector id, a username ... asked for lazily through `__complete KIND`, a file, or a
// fixed list). The three shell scripts (completion.ts) print this model; none has its own list.
import { GLOBAL_FLAGS, type FlagSpec } from '../cliOptions.js';
import { CONNECTOR_SCHEMAS } from '../domain/connectorSchemas.js';
import type { CommandSpec, GroupSpec } from './types.js';

/** Values asked for at completion time from the current context (`__complete KIND`). */
export const DYNAMIC_KINDS = ['connectors', 'users', 'dex-users', 'backups', 'contexts'] as const;
export type DynamicKind = (typeof DYNAMIC_KINDS)[number];

/** A completion source: a dynamic kind, files, fixed words, or nothing to offer. */
export type Source = { dynamic: DynamicKind } | { files: true } | { words: string[] } | { none: true };

export interface CompletionModel {
  /** First words: single-word commands and groups. */
  top: { word: string; summary: string }[];
  /** Group => its subcommands. */
  subs: Record<string, { word: string; summary: string }[]>;
  /** Command path (words joined by a space) => its flags (long and short forms) and its positionals. */
  commands: Record<string, { flags: string[]; args: Source[] }>;
  globalFlags: string[];
  /** Every flag form that takes a value (so its value is not read as a positional). */
  valueFlags: string[];
  /** A flag form => what its value is, where something can be offered. */
  flagValues: Record<string, Source>;
}

const forms = (f: FlagSpec): string[] => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])];

function argSource(c: CommandSpec, name: string): Source {
  if (name === 'SHELL') return { words: ['bash', 'zsh', 'fish'] };
  if (name === 'TYPE') return { words: CONNECTOR_SCHEMAS.map((s) => s.type) };
  if (name === 'USERNAME') return { dynamic: 'users' };
  if (name === 'EMAIL') return { dynamic: 'dex-users' };
  if (name === 'KIND') return { words: [...DYNAMIC_KINDS] };
  if (name === 'ID' && c.path[0] === 'backups') return { dynamic: 'backups' };
  if (name === 'ID' || name === 'CONNECTOR') return { dynamic: 'connectors' };
  return { none: true };
}

function flagSource(f: FlagSpec): Source | undefined {
  if (f.kind === 'boolean') return undefined;
  switch (f.name) {
    case 'output':
      return { words: ['table', 'json', 'yaml', 'csv'] };
    case 'semantics':
      return { words: ['modern', 'legacy'] };
    case 'connector':
    case 'before':
      return { dynamic: 'connectors' };
    case 'context':
      return { dynamic: 'contexts' };
    case 'kubeconfig':
    case 'file':
    case 'debug':
    case 'filename':
    case 'config-file':
      return { files: true };
    default:
      return undefined;
  }
}

export function completionModel(table: {
  commands: readonly CommandSpec[];
  groups: readonly GroupSpec[];
}): CompletionModel {
  const visible = table.commands.filter((c) => !c.hidden);
  const GROUPS = table.groups;
  const top = [
    ...visible.filter((c) => c.path.length === 1).map((c) => ({ word: c.path[0], summary: c.summary })),
    ...GROUPS.map((g) => ({ word: g.name, summary: g.summary })),
  ];
  const subs: CompletionModel['subs'] = {};
  for (const g of GROUPS)
    subs[g.name] = visible
      .filter((c) => c.path[0] === g.name && c.path.length === 2)
      .map((c) => ({ word: c.path[1]!, summary: c.summary }));
  const commands: CompletionModel['commands'] = {};
  const valueFlags = new Set<string>();
  const booleanFlags = new Set<string>();
  const flagValues: CompletionModel['flagValues'] = {};
  const note = (f: FlagSpec) => {
    for (const form of forms(f)) {
      (f.kind === 'boolean' ? booleanFlags : valueFlags).add(form);
      const source = flagSource(f);
      if (source) flagValues[form] = source;
    }
  };
  GLOBAL_FLAGS.forEach(note);
  for (const c of visible) {
    c.flags.forEach(note);
    commands[c.path.join(' ')] = {
      flags: c.flags.flatMap(forms),
      args: c.args.map((a) => argSource(c, a.name)),
    };
  }
  // One word means one thing to the scripts: a flag that takes a value in one command and none in
  // another could not be skipped correctly.
  const both = [...valueFlags].filter((f) => booleanFlags.has(f));
  if (both.length) throw new Error(`flags both with and without a value: ${both.join(', ')}`);
  return {
    top,
    subs,
    commands,
    globalFlags: GLOBAL_FLAGS.flatMap(forms),
    valueFlags: [...valueFlags].sort(),
    flagValues,
  };
}
