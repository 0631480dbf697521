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
  // `dex restart --wait`: the new config failed (a crash-looping pod, a connector that did not
  // open) / nothing conclusive before --timeout.
  restartFailed: 6,
  restartTimeout: 7,
  // `diff -f`: the desired file differs from the cluster / would add validation errors / the
  // cluster cannot be reached (a pipeline branches on these; in sync is 0).
  drift: 8,
  invalid: 9,
  unreachable: 10,
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
