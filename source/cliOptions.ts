// Global options and the argv parser shared by the scripted commands and the TUI. Hand-written
// rather than node:util parseArgs because flags may come before or after the subcommand, and a
// subcommand's own flags are only known once its words have been read.
import type { ConnectOptions } from './store/types.js';
export type OutputFormat = 'table' | 'json' | 'yaml' | 'csv';

export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  file?: string;
  demo: boolean;
  readOnly: boolean;
  requestTimeoutMs: number;
  output: OutputFormat;
  debug?: string;
  /** The UI as linear text for screen readers (also Ink's INK_SCREEN_READER=true). */
  plain?: boolean;
}

/** What the store needs of the global options; `extra` switches context or namespace (the TUI's picker). */
export function connectOptions(
  options: GlobalOptions,
  extra: { context?: string; namespace?: string } = {},
): ConnectOptions {
  return {
    kubeconfig: options.kubeconfig,
    context: extra.context ?? options.context,
    namespace: extra.namespace ?? options.namespace,
    file: options.file,
    demo: options.demo,
    requestTimeoutMs: options.requestTimeoutMs,
    readOnly: options.readOnly,
  };
}

/** A wrong command line: printed as `error: ...` plus a usage hint, exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help the hint should point to (words), when known. */
    readonly commandPath: string[] = [],
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagKind = 'boolean' | 'string' | 'list';

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  /** Shown in help: `--output FORMAT`. */
  valueName?: string;
  help: string;
}

export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  {
    name: 'kubeconfig',
    kind: 'string',
    valueName: 'PATH',
    help: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)',
  },
  {
    name: 'context',
    kind: 'string',
    valueName: 'NAME',
    help: 'kubeconfig context (default: the current context)',
  },
  {
    name: 'namespace',
    short: 'n',
    kind: 'string',
    valueName: 'NS',
    help: 'Epinio namespace (default: epinio)',
  },
  { name: 'file', kind: 'string', valueName: 'PATH', help: 'work on a manifest file instead of a cluster' },
  { name: 'demo', kind: 'boolean', help: 'work on a throw-away demo copy with realistic data' },
  { name: 'read-only', kind: 'boolean', help: 'refuse every write' },
  {
    name: 'request-timeout',
    kind: 'string',
    valueName: 'DURATION',
    help: 'per-request timeout: 30s, 1m, 500ms, or seconds (default: 30s)',
  },
  {
    name: 'output',
    short: 'o',
    kind: 'string',
    valueName: 'FORMAT',
    help: 'table, json or yaml (default: table); csv for users report',
  },
  {
    name: 'debug',
    kind: 'string',
    valueName: 'FILE',
    help: 'append troubleshooting details (never secrets) to FILE',
  },
  { name: 'plain', kind: 'boolean', help: 'UI as plain linear text for screen readers (no boxes or glyphs)' },
  { name: 'help', short: 'h', kind: 'boolean', help: 'show help' },
  { name: 'version', kind: 'boolean', help: 'print the version' },
];

export type FlagValues = Record<string, string | boolean | string[]>;

export interface ParsedCommandLine {
  options: GlobalOptions;
  help: boolean;
  version: boolean;
  /** Subcommand words and arguments, in order. */
  positionals: string[];
  /** The subcommand's own flags (globals are in `options`). */
  flags: FlagValues;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** kubectl-style durations: `30s`, `1m30s`, `500ms`, `1h`; a bare number means seconds. */
export function parseDuration(text: string): number {
  const t = text.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(t)) {
    ms = Number(t) * 1000;
  } else {
    const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
    // Every character must belong to a number+unit pair, so `1x` or `5 s` are rejected.
    if (!parts.length || parts.map((p) => p[0]).join('') !== t) {
      throw new Error(`invalid duration "${text}" (use e.g. 30s, 1m, 500ms, or a number of seconds)`);
    }
    ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
  }
  ms = Math.round(ms);
  if (!(ms > 0)) throw new Error(`invalid duration "${text}": must be greater than zero`);
  return ms;
}

function findFlag(specs: readonly FlagSpec[], token: string): FlagSpec | undefined {
  if (token.startsWith('--')) return specs.find((f) => f.name === token.slice(2));
  return specs.find((f) => f.short !== undefined && f.short === token.slice(1));
}

/**
 * Parses argv (without node and script). `commandFlags(words)` returns the flags of the command the
 * positionals read so far name, so `users set-roles bob --role x` and `--role x users set-roles bob`
 * differ only in that the latter is rejected (the command is not known yet when `--role` is read).
 */
export function parseCommandLine(
  argv: readonly string[],
  commandFlags: (positionals: readonly string[]) => readonly FlagSpec[],
): ParsedCommandLine {
  const positionals: string[] = [];
  const globals: FlagValues = {};
  const flags: FlagValues = {};
  let onlyPositionals = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    let token = arg;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) {
        token = arg.slice(0, eq);
        inline = arg.slice(eq + 1);
      }
    } else if (arg.length > 2) {
      // `-ojson`, `-nepinio`: kubectl accepts a short flag glued to its value.
      token = arg.slice(0, 2);
      inline = arg.slice(2);
    }
    const own = commandFlags(positionals);
    const spec = findFlag(own, token) ?? findFlag(GLOBAL_FLAGS, token);
    if (!spec) throw new UsageError(`unknown flag ${token}`, positionals);
    const target = own.includes(spec) ? flags : globals;
    const display = `--${spec.name}`;
    if (spec.kind === 'boolean') {
      if (inline !== undefined) throw new UsageError(`flag ${display} takes no value`, positionals);
      target[spec.name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length)
        throw new UsageError(`flag ${display} needs a value (${spec.valueName ?? 'VALUE'})`, positionals);
      value = argv[++i];
    }
    if (spec.kind === 'list') {
      const prev = target[spec.name];
      target[spec.name] = [...(Array.isArray(prev) ? prev : []), value];
    } else {
      target[spec.name] = value;
    }
  }
  return {
    options: toGlobalOptions(globals, positionals),
    help: globals.help === true,
    version: globals.version === true,
    positionals,
    flags,
  };
}

const str = (v: FlagValues[string] | undefined): string | undefined =>
  typeof v === 'string' ? v : undefined;

function toGlobalOptions(g: FlagValues, positionals: string[]): GlobalOptions {
  const fail = (message: string): never => {
    throw new UsageError(message, positionals);
  };
  const output = str(g.output) ?? 'table';
  if (output !== 'table' && output !== 'json' && output !== 'yaml' && output !== 'csv') {
    fail(`invalid value "${output}" for --output (choose table, json or yaml; csv for users report)`);
  }
  let requestTimeoutMs = 30_000;
  const timeout = str(g['request-timeout']);
  if (timeout !== undefined) {
    try {
      requestTimeoutMs = parseDuration(timeout);
    } catch (err) {
      fail(`${(err as Error).message} for --request-timeout`);
    }
  }
  const namespace = str(g.namespace) ?? 'epinio';
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    fail(`invalid namespace "${namespace}" (a Kubernetes namespace is lower-case letters, digits and '-')`);
  }
  for (const name of ['kubeconfig', 'context', 'file', 'debug']) {
    if (str(g[name]) === '') fail(`flag --${name} needs a non-empty value`);
  }
  const file = str(g.file);
  const demo = g.demo === true;
  if (file !== undefined && demo) fail('--file and --demo cannot be used together');
  if (file !== undefined || demo) {
    const cluster = ['kubeconfig', 'context'].find((n) => g[n] !== undefined);
    if (cluster)
      fail(`--${cluster} applies to a cluster and cannot be combined with ${demo ? '--demo' : '--file'}`);
  }
  return {
    kubeconfig: str(g.kubeconfig),
    context: str(g.context),
    namespace,
    file,
    demo,
    readOnly: g['read-only'] === true,
    requestTimeoutMs,
    output: output as OutputFormat,
    debug: str(g.debug),
    ...(g.plain === true ? { plain: true } : {}),
  };
}
