// The entry: parses argv, then runs one scripted command or starts the TUI. Only argv parsing and
// help are imported statically, so `--version` and `--help` stay fast; commands, the store (and
// through it the Kubernetes client), React and Ink are loaded only when needed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectOptions, parseCommandLine, UsageError, type GlobalOptions } from './cliOptions.js';
import { CommandError, type CliIO, type CommandContext } from './commands/context.js';
import { commandHelp, globalHelp, groupHelp, isGroup } from './commands/help.js';
import { COMMANDS, findCommand, GROUPS } from './commands/specs.js';
import { debug, debugEnabled, enableDebugLog } from './debug.js';
import { sanitizeForTerminal } from './domain/sanitize.js';
import type { Store } from './store/types.js';
import { EXIT, exitCodeOf } from './commands/exitCodes.js';
import { describeError, readOnlyError, StoreError } from './store/errors.js';

// Set by scripts/build.mjs; absent when run from source with tsx.
declare const __EDA_VERSION__: string | undefined;
declare const __EDA_BUNDLED__: boolean | undefined;

export const NO_TTY_MESSAGE =
  'error: the interactive UI needs a terminal (stdin and stdout must be a TTY). Use the scripted commands instead, e.g. `epinio-dex-admin users list -o json`; see --help.';

export function version(): string {
  if (typeof __EDA_VERSION__ === 'string') return __EDA_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The bundled CLI hashes in dist/password-worker.js, next to this file's chunk. */
async function configureBundle(): Promise<void> {
  if (typeof __EDA_BUNDLED__ === 'undefined' || !__EDA_BUNDLED__) return;
  const { setWorkerPath } = await import('./password/hash.js');
  setWorkerPath(fileURLToPath(new URL('./password-worker.js', import.meta.url)));
}

function printError(io: CliIO, message: string, hint?: string): void {
  io.stderr.write(`error: ${sanitizeForTerminal(message)}\n`);
  if (hint) io.stderr.write(`hint: ${sanitizeForTerminal(hint)}\n`);
}

function usageHintFor(program: string, words: readonly string[]): string {
  const command = findCommand(words);
  const target = command ? command.path.join(' ') : isGroup(words[0]) ? words[0] : '';
  return `run '${program}${target ? ` ${target}` : ''} --help' for usage`;
}

/** Runs one invocation and resolves with the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = io.programName;
  let words: string[] = [];
  try {
    const parsed = parseCommandLine(argv, (positionals) => findCommand(positionals)?.flags ?? []);
    words = parsed.positionals;
    if (parsed.version) {
      io.stdout.write(`epinio-dex-admin ${version()}\n`);
      return EXIT.ok;
    }
    const command = findCommand(words);
    if (parsed.help) {
      io.stdout.write(
        command
          ? commandHelp(program, command)
          : isGroup(words[0])
            ? groupHelp(program, words[0])
            : globalHelp(program, version()),
      );
      return EXIT.ok;
    }
    if (words[0] === 'help') {
      const topic = findCommand(words.slice(1));
      io.stdout.write(
        topic
          ? commandHelp(program, topic)
          : isGroup(words[1])
            ? groupHelp(program, words[1])
            : globalHelp(program, version()),
      );
      return EXIT.ok;
    }
    if (parsed.options.debug) {
      try {
        enableDebugLog(parsed.options.debug);
      } catch (err) {
        throw new CommandError(
          `cannot open the debug log ${parsed.options.debug}: ${(err as Error).message}`,
        );
      }
    }

    if (!words.length) return await startTui(parsed.options, io);
    if (!command) {
      if (isGroup(words[0])) {
        const subs = COMMANDS.filter((c) => c.path[0] === words[0]).map((c) => c.path[1]);
        throw new UsageError(
          words.length > 1
            ? `unknown command "${words.slice(0, 2).join(' ')}" (choose ${subs.join(', ')})`
            : `"${words[0]}" needs a command: ${subs.join(', ')}`,
          [words[0]],
        );
      }
      throw new UsageError(
        `unknown command "${words[0]}" (commands: ${[...COMMANDS.filter((c) => c.path.length === 1 && !c.hidden).map((c) => c.path[0]), ...GROUPS.map((g) => g.name)].join(', ')})`,
      );
    }
    if (parsed.options.output === 'csv' && !command.csv)
      throw new UsageError(
        `-o csv is not an output of ${command.path.join(' ')} (choose table, json or yaml; csv is for ${COMMANDS.filter(
          (c) => c.csv,
        )
          .map((c) => c.path.join(' '))
          .join(', ')})`,
        words,
      );
    const args = words.slice(command.path.length);
    const missing = command.args.slice(args.length).find((a) => a.required);
    if (missing) throw new UsageError(`missing argument ${missing.name}`, words);
    if (args.length > command.args.length)
      throw new UsageError(`unexpected argument "${args[command.args.length]}"`, words);

    debug(
      `command ${command.path.join(' ')} flags=[${Object.keys(parsed.flags).join(',')}] backend=${parsed.options.demo ? 'demo' : parsed.options.file ? 'file' : 'cluster'} namespace=${parsed.options.namespace}`,
    );
    // The one read-only gate: a command that writes is refused before it runs (a dry run writes nothing).
    if (command.writes && parsed.options.readOnly && parsed.flags['dry-run'] !== true) throw readOnlyError();
    await configureBundle();
    const module = await command.load();
    let store: Promise<Store> | undefined; // one store per command, however often it is asked for
    const ctx: CommandContext = {
      spec: command,
      options: parsed.options,
      flags: parsed.flags,
      args,
      io,
      table: { commands: COMMANDS, groups: GROUPS },
      openStore: () =>
        (store ??= import('./store/connect.js').then(({ openStore }) =>
          openStore(connectOptions(parsed.options)),
        )),
    };
    const code = await module.run(ctx);
    debug(`exit ${code}`);
    return code;
  } catch (err) {
    return reportError(io, err, program, words);
  }
}

function reportError(io: CliIO, err: unknown, program: string, words: readonly string[]): number {
  if (err instanceof UsageError) {
    printError(io, err.message, usageHintFor(program, err.commandPath.length ? err.commandPath : words));
    return EXIT.usage;
  }
  const exitCode = exitCodeOf(err);
  const known = err instanceof StoreError || err instanceof CommandError;
  const described = describeError(err);
  const message = described.message;
  const hint = err instanceof CommandError ? err.hint : described.hint;
  if (known && exitCode === EXIT.usage) {
    printError(io, message, hint ?? usageHintFor(program, words));
    return EXIT.usage;
  }
  // Expected failures have a message written for operators; anything else is a bug or an
  // unforeseen condition: one line on screen, the stack only in the --debug file.
  printError(io, message || String(err), hint);
  if (err instanceof Error) debug(`${known ? 'error' : 'unexpected error'}: ${err.stack ?? err.message}`);
  if (!known && !debugEnabled()) io.stderr.write(`hint: rerun with --debug FILE to record the details\n`);
  return known ? exitCode : EXIT.failure;
}

async function startTui(options: GlobalOptions, io: CliIO): Promise<number> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) {
    io.stderr.write(`${NO_TTY_MESSAGE}\n`);
    return EXIT.usage;
  }
  await configureBundle();
  // The standalone executable compiles yoga's wasm in the background from here (scripts/standalonePlugin.mjs).
  (globalThis as { __edaPrepareYoga?: () => void }).__edaPrepareYoga?.();
  // Ink draws only the final frame when it believes it runs in CI (is-in-ci reads CI and
  // CONTINUOUS_INTEGRATION when Ink is imported). The UI starts only on a terminal, so an
  // operator's CI=true must not leave the screen blank: drop both before Ink loads.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const early = (async () => {
    const [{ openStore }, { prefetchSnapshot }] = await Promise.all([
      import('./store/connect.js'),
      import('./store/prefetch.js'),
    ]);
    const store = prefetchSnapshot(await openStore(connectOptions(options)));
    // The snapshot's requests get their credentials in a chain of promises: let them leave before
    // the UI's first render holds the thread (measured: else they wait for it, ~200 ms later).
    await new Promise<void>((resolve) => setImmediate(resolve));
    return store;
  })();
  early.catch(() => undefined); // runTui reports it
  const { runTui } = await import('./ui/run.js');
  return runTui(options, early);
}

export function processIO(programName: string): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    programName,
  };
}

/** What bin/ calls: runs argv, flushes output and exits (a worker or keep-alive socket must not hold the process). */
export async function main(programName = 'epinio-dex-admin'): Promise<void> {
  // EDA_TRACE_START=FILE: the start's milestones for the benchmark (source/startTrace.ts).
  if (process.env.EDA_TRACE_START) (await import('./startTrace.js')).startTrace(process.env, 'main');
  // `... | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const code = await runCli(process.argv.slice(2), processIO(programName));
  process.exitCode = code;
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  // The UI ran on a terminal that hung up: see ui/terminal.ts dieOfHangup.
  const lostTerminal = (globalThis as { __edaTerminalLost?: () => boolean }).__edaTerminalLost;
  if (lostTerminal?.()) {
    process.emit('exit', 129);
    process.removeAllListeners('SIGHUP');
    process.kill(process.pid, 'SIGHUP');
  }
  process.exit(code);
}
