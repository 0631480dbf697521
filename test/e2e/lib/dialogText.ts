// A dialog's text as the e2e tests compare it: the screen's boxed lines (Dialog.tsx draws a round
// border) without the border, trailing blanks trimmed.
export const dialogLines = (screen: string): string[] =>
  screen
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.replace(/^│ ?/, '').replace(/│$/, '').trimEnd());
