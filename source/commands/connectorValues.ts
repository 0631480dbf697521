// Connector config values from the command line. `--set key=value` is typed by the connector's
// schema (a bool field takes true/false, a list takes a,b or a YAML flow list). Secret fields are
// refused there, without echoing the value: argv is visible in `ps` and shell history. They come
// from an environment variable (--secret-env key=VAR), a file (--secret-file key=PATH) or stdin
// (--secret-stdin key), one trailing newline removed.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fieldAt } from '../domain/connectorSchemas.js';
import { isSecretPath } from '../domain/masking.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagList, flagString, type CommandContext } from './context.js';
import { readAll, stripOneNewline } from './passwordInput.js';

export interface PathValue {
  path: (string | number)[];
  value: unknown;
}

/** `a.b.0.c` → ['a', 'b', 0, 'c']: the path of a value inside the connector's config. */
export function pathOf(key: string): (string | number)[] {
  const parts = key.split('.');
  if (parts.some((p) => p === ''))
    throw new CommandError(`invalid key "${key}": use a.b.c (list items by number)`, EXIT.usage);
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function split(flag: string, item: string, what: string): [string, string] {
  const eq = item.indexOf('=');
  // The text after "=" is never quoted back: it may be a secret given by mistake.
  if (eq <= 0) throw new CommandError(`--${flag} needs KEY=${what}; nothing was written`, EXIT.usage);
  return [item.slice(0, eq), item.slice(eq + 1)];
}

const secretHint = (key: string) =>
  `give it with --secret-env ${key}=VAR, --secret-file ${key}=PATH or --secret-stdin ${key}`;

export function parseSets(ctx: CommandContext, type: string): PathValue[] {
  return flagList(ctx, 'set').map((item) => {
    const [key, text] = split('set', item, 'VALUE');
    const path = pathOf(key);
    if (isSecretPath(type, path))
      throw new CommandError(
        `${key} is a secret field of a ${type} connector: it is never accepted as an argument (ps and shell history show arguments); nothing was written`,
        EXIT.usage,
        secretHint(key),
      );
    return { path, value: typed(type, key, path, text) };
  });
}

function typed(type: string, key: string, path: (string | number)[], text: string): unknown {
  const field = fieldAt(type, path);
  const bad = (expected: string) =>
    new CommandError(`invalid value "${text}" for ${key}: expected ${expected}`, EXIT.usage);
  switch (field?.kind) {
    case 'bool':
      if (text === 'true' || text === 'false') return text === 'true';
      throw bad('true or false');
    case 'number':
      if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
      throw bad('a number');
    case 'enum':
      if (field.enumValues?.includes(text)) return text;
      throw bad(`one of ${field.enumValues?.join(', ')}`);
    case 'stringList':
      if (text.trim().startsWith('[')) return flow(text, 'list', bad);
      return text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'object':
    case 'stringMap':
      return flow(text, 'mapping', bad);
    case 'objectList':
      return flow(text, 'list', bad);
    default:
      return text;
  }
}

function flow(text: string, shape: 'list' | 'mapping', bad: (e: string) => CommandError): unknown {
  let value: unknown;
  try {
    value = parseYaml(text, { version: '1.1' });
  } catch {
    throw bad(`a YAML ${shape === 'list' ? 'list like [a, b]' : 'mapping like {key: value}'}`);
  }
  const ok =
    shape === 'list'
      ? Array.isArray(value)
      : typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!ok) throw bad(`a YAML ${shape === 'list' ? 'list like [a, b]' : 'mapping like {key: value}'}`);
  return value;
}

/** The --secret-* values, read and checked before anything is staged. */
export async function readSecrets(ctx: CommandContext): Promise<PathValue[]> {
  const out: PathValue[] = [];
  for (const item of flagList(ctx, 'secret-env')) {
    const [key, name] = split('secret-env', item, 'VAR');
    const value = ctx.io.env[name];
    if (!value)
      throw new CommandError(
        `the environment variable ${name} for ${key} is not set or empty; nothing was written`,
        EXIT.usage,
      );
    out.push({ path: pathOf(key), value });
  }
  for (const item of flagList(ctx, 'secret-file')) {
    const [key, file] = split('secret-file', item, 'PATH');
    let value: string;
    try {
      value = stripOneNewline(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new CommandError(
        `cannot read ${file} for ${key}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; nothing was written`,
        EXIT.usage,
      );
    }
    if (!value) throw new CommandError(`${file} for ${key} is empty; nothing was written`, EXIT.usage);
    out.push({ path: pathOf(key), value });
  }
  const key = flagString(ctx, 'secret-stdin');
  if (key !== undefined) {
    // Read from a terminal it would echo the secret: only a pipe or a file is accepted.
    if (ctx.io.stdin.isTTY)
      throw new CommandError(
        `--secret-stdin ${key} reads a pipe or a file, not a terminal; nothing was written`,
        EXIT.usage,
        `${ctx.io.programName} ${ctx.spec.path.join(' ')} … --secret-stdin ${key} < secret.txt`,
      );
    const value = stripOneNewline((await readAll(ctx.io.stdin)).toString('utf8'));
    if (!value) throw new CommandError(`no value for ${key} on stdin; nothing was written`, EXIT.usage);
    out.push({ path: pathOf(key), value });
  }
  return out;
}
