// The terminal size, updated on resize (stdout 'resize'), so the root box always fits.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface Size {
  columns: number;
  rows: number;
}

const read = (s: { columns?: number; rows?: number }): Size => ({
  columns: s.columns || 80,
  rows: s.rows || 24,
});

export function useTerminalSize(override?: Size): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState<Size>(() => override ?? read(stdout));
  useEffect(() => {
    if (override) return;
    const onResize = () => setSize(read(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, override]);
  return override ?? size;
}

export const MIN_SIZE: Size = { columns: 80, rows: 20 };
