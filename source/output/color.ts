// Colour only for a person at a terminal: never into pipes or files, never with NO_COLOR
// (https://no-color.org: any non-empty value), and never with TERM=dumb.
export interface ColorTarget {
  isTTY?: boolean;
}

export function colorEnabled(stream: ColorTarget, env: NodeJS.ProcessEnv): boolean {
  if (!stream.isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

export interface Style {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

export function style(enabled: boolean): Style {
  return enabled
    ? { bold: wrap(1, 22), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22) }
    : { bold: plain, red: plain, yellow: plain, dim: plain };
}
