// The shapes of the command layer: the command table's entries, and what every command receives.
// Types only, so the table (specs.ts), the dispatcher and each command share them without a cycle.
import type { FlagSpec, FlagValues, GlobalOptions } from '../cliOptions.js';
import type { Store } from '../store/types.js';

export interface ArgSpec {
  name: string;
  required: boolean;
}

export interface CommandSpec {
  path: [string, ...string[]];
  summary: string;
  description?: string;
  args: ArgSpec[];
  flags: FlagSpec[];
  /** Writes something: refused in --read-only mode (unless a dry run). */
  writes: boolean;
  examples?: string[];
  load: () => Promise<CommandModule>;
  /** Left out of help, the README and completion (the completion scripts' `__complete`). */
  hidden?: boolean;
  /** Also accepts `-o csv` (the other commands refuse it). */
  csv?: boolean;
}

export interface GroupSpec {
  name: string;
  summary: string;
}

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
  /** The command table, for the commands that describe it (completion): passed in, because a
   *  command module importing specs.ts would be an import cycle through the table's `load`. */
  table?: { commands: readonly CommandSpec[]; groups: readonly GroupSpec[] };
}

export interface CommandModule {
  run(ctx: CommandContext): Promise<number>;
}
