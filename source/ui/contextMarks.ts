// Kube contexts the operator marked as production, kept in our own small file rather than in the
// kubeconfig: kubeconfigs are often generated and rewritten by cloud CLIs (which would drop a
// mark), may be shared or read-only, and this tool never writes them. The file:
//   $XDG_CONFIG_HOME/epinio-dex-admin/contexts.json (default ~/.config/...)
//   { "production": ["prod-eu", "prod-us"] }
// A marked context shows a red PRODUCTION badge in the header and in the context picker, and its
// save confirmation names it (SaveDialogs.tsx). A file that cannot be read is reported and never
// overwritten, so a typo in it cannot silently drop the other marks.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createContext, useContext } from 'react';

export interface ContextMarksFile {
  production: string[];
}

export function contextMarksPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'epinio-dex-admin', 'contexts.json');
}

/** The marks, or the reason the file cannot be used (a missing file is no marks, not an error). */
export function readContextMarks(path: string): { marks: ContextMarksFile } | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { marks: { production: [] } };
    return { error: `cannot read ${path}: ${(err as Error).message}` };
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    const list = (parsed as { production?: unknown }).production;
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      (list !== undefined && !(Array.isArray(list) && list.every((x) => typeof x === 'string')))
    )
      return { error: `${path}: "production" must be a list of context names` };
    return { marks: { production: (list as string[] | undefined) ?? [] } };
  } catch (err) {
    return { error: `${path} is not valid JSON (${(err as Error).message}); fix or remove it` };
  }
}

/** Writes atomically (temp file + rename), private to the operator. */
export function writeContextMarks(path: string, marks: ContextMarksFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ production: [...new Set(marks.production)].sort() }, null, 2)}\n`, {
    mode: 0o600,
  });
  renameSync(tmp, path);
}

export interface ContextMarks {
  isProduction(context: string | undefined): boolean;
  /** Marks or unmarks; returns the error text when the file cannot be read or written. */
  setProduction(context: string, production: boolean): string | null;
  /** Why the marks could not be read (shown once), or null. */
  error: string | null;
}

export const noMarks: ContextMarks = {
  isProduction: () => false,
  setProduction: () => 'no marks file',
  error: null,
};
export const ContextMarksContext = createContext<ContextMarks>(noMarks);
export const useContextMarks = (): ContextMarks => useContext(ContextMarksContext);
