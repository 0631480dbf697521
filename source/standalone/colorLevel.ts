// chalk (Ink's colours) decides the colour level when it is first evaluated: in the standalone
// executable that is at build time, on no terminal. This measures again, the way chalk does, for
// the terminal the program runs on. scripts/standalonePlugin.mjs maps 'eda:chalk-support' to
// chalk's own vendored supports-color, so both agree on every variable (FORCE_COLOR, TERM, ...).
import tty from 'node:tty';
import chalk from 'chalk';
// @ts-expect-error -- a virtual module of the standalone build (scripts/standalonePlugin.mjs)
import { createSupportsColor } from 'eda:chalk-support';

export function resetColorLevel(): void {
  // The UI drops CI and CONTINUOUS_INTEGRATION before Ink loads (cli.tsx startTui); the npm
  // install's chalk never sees them, so neither does this measurement.
  const env = process.env;
  const hidden = { CI: env.CI, CONTINUOUS_INTEGRATION: env.CONTINUOUS_INTEGRATION };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  const support = (createSupportsColor as (s: { isTTY: boolean }) => false | { level: 0 | 1 | 2 | 3 })({
    isTTY: tty.isatty(1),
  });
  chalk.level = support ? support.level : 0;
  for (const [name, value] of Object.entries(hidden)) if (value !== undefined) env[name] = value;
}
