// Raw YAML editing in $VISUAL/$EDITOR, the way `kubectl edit` does it: a 0600 temp file, the
// editor in the foreground with the terminal handed over, invalid input re-opened with the errors
// as `#` comments above the operator's text, the temp file always removed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EditorLauncher } from './appContext.js';

export interface Suspender {
  /** Leave the alternate screen and give the terminal back (cooked mode). */
  suspend(): void;
  /** Take the terminal again and redraw. */
  resume(): void;
}

export function editorCommand(env: NodeJS.ProcessEnv): string[] {
  const raw = (env.VISUAL || env.EDITOR || 'vi').trim();
  return raw.split(/\s+/);
}

export function createEditorLauncher(
  suspender: Suspender,
  env: NodeJS.ProcessEnv = process.env,
): EditorLauncher {
  return (text, options) => {
    const dir = mkdtempSync(join(tmpdir(), 'eda-edit-'));
    const file = join(dir, `edit${options.suffix}`);
    try {
      writeFileSync(file, text, { mode: 0o600 });
      const [cmd, ...args] = editorCommand(env);
      suspender.suspend();
      let status: number | null;
      try {
        status = spawnSync(cmd!, [...args, file], { stdio: 'inherit' }).status;
      } finally {
        suspender.resume();
      }
      if (status !== 0) return null;
      return readFileSync(file, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const ERROR_HEADER = '# Please fix the errors below; lines starting with # are ignored.';

/** Removes the error block we put on top, so it does not pile up on every round. */
export function stripErrorComments(text: string): string {
  if (!text.startsWith(ERROR_HEADER)) return text;
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('#')) i++;
  return lines.slice(i).join('\n');
}

export function withErrorComments(text: string, errors: string[]): string {
  return [ERROR_HEADER, ...errors.map((e) => `# ${e.replace(/\n/g, ' ')}`), stripErrorComments(text)].join(
    '\n',
  );
}

/**
 * Edits until the validator accepts the text or the operator gives up (saves it unchanged or the
 * editor fails). Returns the accepted text, or null.
 */
export function editUntilValid(
  launcher: EditorLauncher,
  text: string,
  suffix: string,
  validate: (text: string) => string[],
): string | null {
  let shown = text;
  for (;;) {
    const edited = launcher(shown, { suffix });
    if (edited === null || edited === shown) return null;
    const clean = stripErrorComments(edited);
    if (clean === text) return null;
    const errors = validate(clean);
    if (!errors.length) return clean;
    shown = withErrorComments(clean, errors);
  }
}
