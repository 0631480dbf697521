// Help text: global, per group (`users --help`) and per command (`users set-password --help`).
// Built from the command table so the help can never list a flag the parser does not know.
import { GLOBAL_FLAGS, type FlagSpec } from '../cliOptions.js';
import { COMMANDS, GROUPS, type CommandSpec } from './specs.js';

function columns(rows: [string, string][], indent = '  '): string[] {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(width)}   ${b}`);
}

function flagRows(flags: readonly FlagSpec[]): [string, string][] {
  return flags.map((f) => [
    `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.valueName ? ` ${f.valueName}` : ''}`,
    f.help,
  ]);
}

export const commandLine = (c: CommandSpec): string =>
  [...c.path, ...c.args.map((a) => (a.required ? a.name : `[${a.name}]`))].join(' ');

export function globalHelp(program: string, version: string): string {
  return [
    `${program} ${version}: manage Epinio's Dex identity setup (connectors, role mappings, users, passwords)`,
    '',
    'Usage:',
    `  ${program} [flags]            start the interactive UI (needs a terminal)`,
    `  ${program} COMMAND [flags]    run one scripted command`,
    '',
    'Commands:',
    ...columns(COMMANDS.filter((c) => !c.hidden).map((c) => [commandLine(c), c.summary])),
    '',
    'Global flags (accepted by every command and the UI):',
    ...columns(flagRows(GLOBAL_FLAGS)),
    '',
    'Exit codes: 0 ok, 1 failure or validation errors, 2 usage error, 3 forbidden, 4 not found, 5 conflict; dex restart --wait: 6 failed, 7 timed out; diff -f: 8 drift, 9 invalid, 10 unreachable.',
    `Run '${program} COMMAND --help' for the flags of one command.`,
    '',
  ].join('\n');
}

export function groupHelp(program: string, group: string): string {
  const spec = GROUPS.find((g) => g.name === group);
  return [
    `${program} ${group}: ${spec?.summary ?? ''}`,
    '',
    'Commands:',
    ...columns(
      COMMANDS.filter((c) => c.path[0] === group && !c.hidden).map((c) => [commandLine(c), c.summary]),
    ),
    '',
    `Run '${program} ${group} COMMAND --help' for its flags; '${program} --help' for the global flags.`,
    '',
  ].join('\n');
}

export function commandHelp(program: string, c: CommandSpec): string {
  return [
    `Usage: ${program} ${commandLine(c)}${c.flags.length ? ' [flags]' : ''} [global flags]`,
    '',
    `${c.summary[0].toUpperCase()}${c.summary.slice(1)}.`,
    ...(c.description ? ['', c.description] : []),
    ...(c.flags.length ? ['', 'Flags:', ...columns(flagRows(c.flags))] : []),
    ...(c.examples?.length ? ['', 'Examples:', ...c.examples.map((e) => `  ${program} ${e}`)] : []),
    '',
    `Global flags: see '${program} --help'.`,
    '',
  ].join('\n');
}

export const isGroup = (word: string | undefined): boolean => GROUPS.some((g) => g.name === word);
