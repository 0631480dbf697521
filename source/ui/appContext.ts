// What every screen and dialog needs from the app: state, dispatch, the derived view, the store
// and a few helpers that keep error handling and staging uniform.
import { createContext, useContext, type Dispatch } from 'react';
import type { Store, ContextInfo } from '../store/types.js';
import type { DexEdit } from '../domain/dexConfig.js';
import type { MappingEdit } from '../domain/rolesMapping.js';
import type { AppAction, AppState } from './state/appState.js';
import type { Workspace } from '../domain/workspace.js';

/** Opens text in the operator's editor; returns the edited text or null when unchanged/aborted. */
export type EditorLauncher = (text: string, options: { suffix: string }) => string | null;

export interface AppServices {
  store: Store;
  state: AppState;
  dispatch: Dispatch<AppAction>;
  view: Workspace | null;
  /** Rows available for a list body on the current screen. */
  listHeight: number;
  width: number;
  reload(): Promise<void>;
  /** Shows an error (describeError: what failed, why, what to do) in the status line. */
  report(what: string, err: unknown): void;
  /** Stages edits if they apply on top of the current staged text; returns the error otherwise. */
  stage(label: string, dex?: DexEdit[], mapping?: MappingEdit[]): string | null;
  editor: EditorLauncher;
  listContexts?: () => Promise<ContextInfo[]>;
  switchContext?: (context: ContextInfo) => Promise<void>;
  quit(code?: number): void;
  /** Why the recorded Dex logins are not (yet) in the view's impact, when they are not. */
  loginsNote?: string;
  /** The logins are still being read: the save dialogs wait, so the lockout check has them. */
  loginsPending?: boolean;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside the app');
  return s;
}
