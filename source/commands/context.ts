// What every command receives: parsed options, its own flags and arguments, the process streams
// (injected, so tests run commands in-process with exact stdout/stderr) and a lazily opened Store.
import type { FlagValues, GlobalOptions } from '../cliOptions.js';
import type { Store } from '../store/types.js';
import { EXIT } from '../store/errors.js';
import type { CommandSpec } from './specs.js';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: NodeJS.ProcessEnv;
  /** `epinio-dex-admin`, or `kubectl epinio-dex` when run as a kubectl plugin. */
  programName: string;
}

export interface CommandContext {
  spec: CommandSpec;
  options: GlobalOptions;
  flags: FlagValues;
  args: string[];
  io: CliIO;
  openStore(): Promise<Store>;
}

export interface CommandModule {
  run(ctx: CommandContext): Promise<number>;
}

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

export const readOnlyError = (): CommandError =>
  new CommandError('read-only mode (--read-only): nothing was written', EXIT.failure);

export function flagString(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function flagList(ctx: CommandContext, name: string): string[] {
  const v = ctx.flags[name];
  return Array.isArray(v) ? v : [];
}

export const flagBool = (ctx: CommandContext, name: string): boolean => ctx.flags[name] === true;
