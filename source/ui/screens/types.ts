// A screen is a hook returning its registry (actions as data), its non-action keys (navigation)
// and its body. The app merges the screen's actions with the global ones into ONE registry.
import type React from 'react';
import type { Action } from '../keys.js';

export interface ScreenModel {
  actions: Action[];
  /** Keys that are not actions: list navigation. */
  onKey(name: string): void;
  body: React.ReactElement;
  /** Rows in the current (filtered) list, for the filter prompt. */
  count: number;
}
