// Colours are decoration only: with NO_COLOR or a non-colour terminal every colour is dropped and
// the selection stays visible through inverse video and a `>` marker.
import { createContext, useContext } from 'react';

export interface Theme {
  color: boolean;
  accent?: string;
  error?: string;
  warning?: string;
  success?: string;
  muted?: string;
  /** Shown in front of the selected row and the focused field, in every theme. */
  marker: string;
}

export const colorTheme: Theme = {
  color: true,
  accent: 'cyan',
  error: 'red',
  warning: 'yellow',
  success: 'green',
  muted: 'gray',
  marker: '>',
};

export const monoTheme: Theme = { color: false, marker: '>' };

/** NO_COLOR (any non-empty value, no-color.org), TERM=dumb or a stream without colour support. */
export function themeFor(
  env: NodeJS.ProcessEnv,
  stream?: { hasColors?: () => boolean; isTTY?: boolean },
): Theme {
  if (env.NO_COLOR) return monoTheme;
  if (env.TERM === 'dumb') return monoTheme;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return colorTheme;
  if (stream?.isTTY && typeof stream.hasColors === 'function' && !stream.hasColors()) return monoTheme;
  return colorTheme;
}

export const ThemeContext = createContext<Theme>(colorTheme);
export const useTheme = (): Theme => useContext(ThemeContext);
