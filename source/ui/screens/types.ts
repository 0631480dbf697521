// A screen is a hook returning its registry (actions as data, list navigation included) and its
// body. The app merges the screen's actions with the global ones into ONE registry.
import type React from 'react';
import type { Action } from '../keys.js';

export interface ScreenModel {
  actions: Action[];
  body: React.ReactElement;
  /** Rows in the current (filtered) list, for the filter prompt. */
  count: number;
}
