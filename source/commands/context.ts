// What every command receives: parsed options, its own flags and arguments, the process streams
// (injected, so tests run commands in-process with exact stdout/stderr) and a lazily opened Store.
import { EXIT } from './exitCodes.js';
import type { CommandContext } from './types.js';

export type { CliIO, CommandContext, CommandModule, InStream, OutStream } from './types.js';

/** An expected failure of a command: printed as `error: message` (+ `hint:`), with its exit code. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export function flagString(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function flagList(ctx: CommandContext, name: string): string[] {
  const v = ctx.flags[name];
  return Array.isArray(v) ? v : [];
}

export const flagBool = (ctx: CommandContext, name: string): boolean => ctx.flags[name] === true;
