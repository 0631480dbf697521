// Exit codes of the scripted commands (README "Exit codes"), and how a failure maps to one. The
// store reports what went wrong as a typed error kind; which number a script sees is decided here.
import { StoreError } from '../store/errors.js';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  forbidden: 3,
  notFound: 4,
  conflict: 5,
  restartFailed: 6,
  restartTimeout: 7,
} as const;

/** The exit code of a failure: a command's own choice, else by the store error's kind. */
export function exitCodeOf(err: unknown): number {
  const own = (err as { exitCode?: unknown } | null)?.exitCode;
  if (!(err instanceof StoreError)) return typeof own === 'number' ? own : EXIT.failure;
  switch (err.kind) {
    case 'Forbidden':
      return EXIT.forbidden;
    case 'NotFound':
      return EXIT.notFound;
    case 'Conflict':
      return EXIT.conflict;
    default:
      return EXIT.failure;
  }
}
