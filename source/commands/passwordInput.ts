// Where a new password may come from: all of stdin (--password-stdin) or a masked prompt on a
// terminal. Never argv or the environment, where other users and shell history can see it. The
// password is checked here (bcrypt's 72-byte limit, then the policy) before anything is hashed.
// The default cost is 10, what the chart writes for Epinio users; --cost offers 10 to 14.
import {
  BCRYPT_MAX_BYTES,
  checkPassword,
  EPINIO_COSTS,
  EPINIO_DEFAULT_COST,
  overLengthMessage,
} from '../password/policy.js';
import { EXIT } from './exitCodes.js';
import {
  CommandError,
  flagBool,
  flagString,
  type CommandContext,
  type InStream,
  type OutStream,
} from './context.js';

export const DEFAULT_COST = EPINIO_DEFAULT_COST;

export function parseCost(ctx: CommandContext): number {
  const text = flagString(ctx, 'cost');
  if (text === undefined) return DEFAULT_COST;
  const cost = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!EPINIO_COSTS.includes(cost)) {
    throw new CommandError(
      `invalid value "${text}" for --cost (choose ${EPINIO_COSTS.join(', ')}; both Epinio and Dex accept these)`,
      EXIT.usage,
    );
  }
  return cost;
}

/** Reads and checks the password, or throws a CommandError saying why it was refused. */
export async function obtainPassword(ctx: CommandContext, username: string): Promise<string> {
  const { stdin } = ctx.io;
  let password: string;
  if (flagBool(ctx, 'password-stdin')) {
    password = stripOneNewline(decode(await readAll(stdin)));
    if (password === '') throw new CommandError('no password on stdin');
    if (/[\r\n]/.test(password))
      throw new CommandError('the password on stdin has more than one line; give exactly one line');
  } else if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
    password = await promptTwice(stdin, ctx.io.stderr, username);
  } else {
    throw new CommandError(
      'no password given: pipe it to --password-stdin (a password is never accepted as an argument)',
      EXIT.usage,
      `printf '%s' "$PASSWORD" | ${ctx.io.programName} ${ctx.spec.path.join(' ')} ${username} --password-stdin`,
    );
  }
  checkAcceptable(password);
  return password;
}

export function checkAcceptable(password: string): void {
  const bytes = Buffer.byteLength(password, 'utf8');
  // Checked first and alone: the policy would add its own messages about a password that is refused anyway.
  if (bytes > BCRYPT_MAX_BYTES) throw new CommandError(overLengthMessage(bytes));
  const problems = checkPassword(password);
  if (problems.length) throw new CommandError(`password rejected: ${problems.join('; ')}`);
}

export function stripOneNewline(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  if (s.endsWith('\n')) return s.slice(0, -1);
  return s;
}

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CommandError('the password on stdin is not valid UTF-8');
  }
}

export async function readAll(stream: InStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

async function promptTwice(stdin: InStream, out: OutStream, username: string): Promise<string> {
  const first = await promptMasked(stdin, out, `New password for ${username}: `);
  if (first === '') throw new CommandError('empty password; nothing was written');
  const second = await promptMasked(stdin, out, 'Repeat the password: ');
  if (first !== second) throw new CommandError('the passwords do not match; nothing was written');
  return first;
}

/** One line in raw mode, echoing `*` per character; Ctrl-C or Ctrl-D cancel. */
export function promptMasked(stdin: InStream, out: OutStream, question: string): Promise<string> {
  out.write(question);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      out.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && value === ''))
          return finish(new CommandError('cancelled; nothing was written'));
        if (ch === '\u007f' || ch === '\b') {
          if (value) {
            value = [...value].slice(0, -1).join('');
            out.write('\b \b');
          }
        } else if (ch === '\u0015') {
          out.write('\b \b'.repeat([...value].length));
          value = '';
        } else if (ch >= ' ') {
          value += ch;
          out.write('*');
        }
      }
    };
    stdin.on('data', onData);
  });
}
