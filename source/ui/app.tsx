// The root: state (one reducer), the derived view, the merged key registry (screen + global
// actions), header, body or the top modal, footer. I/O goes through the Store passed in.
import React, { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { Box, Text } from 'ink';
import type { Store, ContextInfo } from '../store/types.js';
import { describeError } from '../store/errors.js';
import { applyDexEdits } from '../domain/dexConfig.js';
import { applyMappingEdits } from '../domain/rolesMapping.js';
import {
  appReducer,
  hasUnsaved,
  initialState,
  TABS,
  type AppAction,
  type AppState,
} from './state/appState.js';
import { useJournal } from './state/journal.js';
import { deriveWorkspace, withLogins } from '../domain/workspace.js';
import { useImpactLogins } from './hooks/useImpactLogins.js';
import { AppContext, type AppServices, type EditorLauncher } from './appContext.js';
import { InputBusProvider, type KeyProbe } from './input/bus.js';
import { useDialogKeys } from './input/useDialogKeys.js';
import { useActionLayer } from './input/useActions.js';
import { footerHints, keyHint, KEYS, mergeActions, type Action } from './keys.js';
import { Header } from './components/Header.js';
import { Footer } from './components/Footer.js';
import { MIN_SIZE, useTerminalSize, type Size } from './hooks/useTerminalSize.js';
import { useConnectorsScreen } from './screens/ConnectorsScreen.js';
import { useMappingsScreen } from './screens/MappingsScreen.js';
import { useUsersScreen } from './screens/UsersScreen.js';
import { useStaticUsersScreen } from './screens/StaticUsersScreen.js';
import { useLoginsScreen } from './screens/LoginsScreen.js';
import { HelmBanner, helmRenderOf, useHistoryScreen } from './screens/HistoryScreen.js';
import { loadHistory } from './historyLoad.js';
import { ModalView } from './dialogs/ModalView.js';
import { ThemeContext, colorTheme, type Theme } from './theme.js';

export interface AppProps {
  store: Store;
  readOnly: boolean;
  editor?: EditorLauncher;
  listContexts?: () => Promise<ContextInfo[]>;
  /** Opens a store for another context; the app reloads from it. */
  openContext?: (context: ContextInfo) => Promise<Store>;
  onExit: (code: number) => void;
  theme?: Theme;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: Size;
  /** Shown once in the status line (e.g. where the demo copy lives). */
  notice?: string;
  /** Initial state override (tests). */
  initial?: Partial<AppState>;
  /** Filled with read access to the registry that gets the keys (tests). */
  keyProbe?: KeyProbe;
  /** Ctrl+Z: hand the terminal back and stop (run.tsx's job control); absent, the key does nothing. */
  onSuspend?: () => void;
  /** Render an empty frame (run.tsx's full redraw after a suspension); state stays mounted. */
  blank?: boolean;
}

const noEditor: EditorLauncher = () => null;

export function App(props: AppProps): React.ReactElement {
  return (
    <ThemeContext.Provider value={props.theme ?? colorTheme}>
      <InputBusProvider
        probe={props.keyProbe}
        always={[
          {
            id: 'exit',
            keys: ['ctrl+c'],
            label: 'leave at once',
            helpOnly: true,
            run: () => props.onExit(130),
          },
          ...(props.onSuspend ? [suspendAction(props.onSuspend)] : []),
        ]}
      >
        <Box display={props.blank ? 'none' : 'flex'} flexDirection="column">
          <AppBody {...props} />
        </Box>
      </InputBusProvider>
    </ThemeContext.Provider>
  );
}

/** Works on every layer, like Ctrl+C: a text field never takes it. */
const suspendAction = (run: () => void): Action => ({
  id: 'suspend',
  keys: [...KEYS.suspend],
  label: 'suspend to the shell (fg resumes)',
  helpOnly: true,
  run,
});

function AppBody(props: AppProps): React.ReactElement {
  const size = useTerminalSize(props.size);
  const [state, dispatchState] = useReducer(appReducer, undefined, () => ({
    ...initialState({ readOnly: props.readOnly }),
    ...(props.notice ? { status: { level: 'info' as const, message: props.notice } } : {}),
    ...props.initial,
  }));
  // Every action passes the session journal (the exit summary) on its way to the reducer.
  const journal = useJournal();
  journal?.track(state);
  const dispatch = useCallback(
    (action: AppAction) => {
      journal?.observe(action);
      dispatchState(action);
    },
    [journal],
  );
  const storeRef = useRef(props.store);
  const store = storeRef.current;
  const [, forceStore] = useReducer((n: number) => n + 1, 0);

  const load = useCallback(async () => {
    dispatch({ type: 'loading' });
    try {
      const snapshot = await storeRef.current.loadSnapshot();
      dispatch({ type: 'loaded', snapshot });
      // The history after the snapshot: a helm upgrade that dropped the tool's revisions is offered once.
      void loadHistory(storeRef.current, snapshot, stateRef, dispatch);
    } catch (err) {
      const d = describeError(err);
      dispatch({
        type: 'loadFailed',
        status: { level: 'error', message: `loading failed: ${d.message}`, hint: d.hint },
      });
      return;
    }
    try {
      dispatch({ type: 'capabilities', capabilities: await storeRef.current.capabilities() });
    } catch (err) {
      // Not knowing our rights is not fatal: writes will still be refused by the server if denied.
      dispatch({
        type: 'status',
        status: {
          level: 'warning',
          message: `could not check write permissions: ${describeError(err).message}`,
        },
      });
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const derived = useMemo(
    () =>
      state.snapshot
        ? deriveWorkspace(state.snapshot, { dex: state.dexEdits, mapping: state.mappingEdits })
        : null,
    [state.snapshot, state.dexEdits, state.mappingEdits],
  );
  // The logins arrive after the snapshot and only change the impact (blast radius, lockout).
  const logins = useImpactLogins(store, state.snapshot);
  const view = useMemo(() => derived && withLogins(derived, logins.logins), [derived, logins.logins]);

  const headerLines = 2 + (state.readOnly.on ? 1 : 0);
  const footerLines = 2 + (state.status?.hint ? 1 : 0);
  const bodyRows =
    size.rows -
    1 -
    headerLines -
    footerLines -
    (view?.applyError ? 1 : 0) -
    (helmRenderOf({ state }) ? 1 : 0);
  // list header + position line + the detail pane under each list
  const listHeight = Math.max(3, bodyRows - 2 - 6);

  const stateRef = useRef(state);
  stateRef.current = state;
  const svc: AppServices = {
    store,
    state,
    dispatch,
    view,
    listHeight,
    width: size.columns,
    reload: load,
    report(what, err) {
      const d = describeError(err);
      dispatch({
        type: 'status',
        status: { level: 'error', message: `${what} failed: ${d.message}`, hint: d.hint },
      });
    },
    stage(label, dex, mapping) {
      if (!view) return 'nothing loaded';
      try {
        // Applies on top of what is already staged, so an operation that cannot apply is refused now, not at save.
        if (dex?.length) applyDexEdits(view.config, dex);
        if (mapping?.length) applyMappingEdits(view.mapping, mapping);
      } catch (err) {
        return (err as Error).message;
      }
      dispatch({ type: 'stage', label, dex, mapping });
      return null;
    },
    editor: props.editor ?? noEditor,
    listContexts: props.listContexts,
    switchContext: props.openContext
      ? async (ctx) => {
          try {
            storeRef.current = await props.openContext!(ctx);
            forceStore();
            dispatch({ type: 'discardStaged' });
            await load();
            dispatch({
              type: 'status',
              status: { level: 'success', message: `switched to context ${ctx.name}` },
            });
          } catch (err) {
            svc.report(`switching to context ${ctx.name}`, err);
          }
        }
      : undefined,
    quit: props.onExit,
    loginsNote: logins.note,
    loginsPending: logins.pending,
  };

  const screens = {
    connectors: useConnectorsScreen(svc),
    mappings: useMappingsScreen(svc),
    users: useUsersScreen(svc),
    static: useStaticUsersScreen(svc),
    logins: useLoginsScreen(svc),
    history: useHistoryScreen(svc),
  };
  const screen = screens[state.tab];
  const unsaved = state.dexEdits.length + state.mappingEdits.length;

  const global: Action[] = [
    ...TABS.map((t) => ({
      id: `tab-${t.id}`,
      keys: [t.key],
      label: t.label,
      helpOnly: true,
      enabled: t.id !== state.tab,
      run: () => dispatch({ type: 'setTab', tab: t.id }),
    })),
    {
      id: 'next-tab',
      keys: ['tab'],
      label: 'next tab',
      helpOnly: true,
      run: () => dispatch({ type: 'cycleTab', delta: 1 }),
    },
    {
      id: 'prev-tab',
      keys: ['shift+tab'],
      label: 'previous tab',
      helpOnly: true,
      run: () => dispatch({ type: 'cycleTab', delta: -1 }),
    },
    {
      id: 'filter',
      keys: ['/'],
      label: 'filter',
      helpOnly: true,
      run: () => dispatch({ type: 'pushModal', modal: { kind: 'filter', tab: state.tab } }),
    },
    {
      id: 'save',
      keys: [...KEYS.save],
      label: 'save',
      dangerous: true,
      run: () =>
        unsaved
          ? dispatch({ type: 'pushModal', modal: { kind: 'save' } })
          : dispatch({
              type: 'status',
              status: { level: 'info', message: 'nothing to save: no staged changes' },
            }),
    },
    {
      id: 'undo-step',
      keys: [...KEYS.undoStep],
      label: 'undo staged step',
      helpOnly: true,
      run: () => dispatch({ type: 'undoStep' }),
    },
    {
      id: 'undo-save',
      keys: [...KEYS.undoSave],
      label: 'undo last save (restore backup)',
      dangerous: true,
      helpOnly: true,
      run: () => dispatch({ type: 'pushModal', modal: { kind: 'undoSave' } }),
    },
    {
      id: 'restart',
      keys: [...KEYS.restart],
      label: 'restart Dex',
      dangerous: true,
      helpOnly: true,
      run: () =>
        dispatch({
          type: 'pushModal',
          modal: { kind: 'restart', reason: 'Dex reads config.yaml only when it starts.' },
        }),
    },
    {
      id: 'reload',
      keys: [...KEYS.reload],
      label: 'reload from cluster',
      helpOnly: true,
      run: () => void load(),
    },
    ...(props.listContexts
      ? [
          {
            id: 'contexts',
            keys: ['c'],
            label: 'switch context',
            helpOnly: true,
            run: () => dispatch({ type: 'pushModal', modal: { kind: 'contexts' } }),
          },
        ]
      : []),
    {
      id: 'help',
      keys: ['?'],
      label: 'help',
      run: () => dispatch({ type: 'pushModal', modal: { kind: 'help' } }),
    },
    {
      id: 'quit',
      keys: ['q'],
      label: 'quit',
      run: () =>
        hasUnsaved(stateRef.current)
          ? dispatch({ type: 'pushModal', modal: { kind: 'quit' } })
          : props.onExit(0),
    },
  ];
  // Screen actions first: their keys win over a global action with the same key.
  const actions = view ? mergeActions(screen.actions, global) : global;
  useActionLayer(actions, {
    readOnly: state.readOnly,
    onRefused: (reason) => dispatch({ type: 'status', status: { level: 'warning', message: reason } }),
  });
  const hintsOf = (ids: string[]) =>
    footerHints(
      actions.filter((a) => ids.includes(a.id)).map((a) => ({ ...a, helpOnly: false })),
      state.readOnly.on,
    );

  // Too small: the screen and any open dialog stay mounted but hidden, so a dialog's fields survive
  // a resize below the minimum and back; a top layer takes every key meanwhile, so nothing acts
  // blind (q quits only when nothing would be lost).
  const tooSmall = size.columns < MIN_SIZE.columns || size.rows < MIN_SIZE.rows;

  const top = state.modals[state.modals.length - 1];
  return (
    <AppContext.Provider value={svc}>
      {tooSmall ? <TooSmall size={size} unsaved={unsaved > 0} onQuit={() => props.onExit(0)} /> : null}
      <Box
        display={tooSmall ? 'none' : 'flex'}
        width={size.columns}
        height={Math.max(1, size.rows - 1)}
        flexDirection="column"
      >
        <Header
          location={store.location}
          semantics={view?.semantics}
          epinioVersion={state.snapshot?.epinioVersion}
          readOnly={state.readOnly}
          unsaved={unsaved}
          tab={state.tab}
          width={size.columns}
        />
        {state.snapshot ? <HelmBanner svc={svc} /> : null}
        {view?.applyError ? (
          <Text color="red" wrap="truncate-end">
            ✗ {view.applyError} ({keyHint('undoStep')} undoes the last staged step)
          </Text>
        ) : null}
        {/* The body takes exactly the rows left between header and footer (basis 0): a tall dialog
            is clipped inside it instead of shrinking the header or footer off the screen. */}
        <Box flexGrow={1} flexShrink={1} flexBasis={0} flexDirection="column" overflow="hidden">
          {top ? (
            <ModalView modal={top} actions={actions} />
          ) : state.loading && !state.snapshot ? (
            <Text>
              loading {store.location.backend === 'cluster' ? 'from the cluster' : store.location.file}…
            </Text>
          ) : state.loadError && !state.snapshot ? (
            <Box flexDirection="column">
              <Text color="red">{state.loadError.message}</Text>
              {state.loadError.hint ? <Text>→ {state.loadError.hint}</Text> : null}
              <Text dimColor>{hintsOf(['reload', 'quit'])}</Text>
            </Box>
          ) : (
            screen.body
          )}
        </Box>
        <Footer
          status={state.status ?? state.loadError}
          hints={footerHints(top ? [] : actions, state.readOnly.on, size.columns)}
          width={size.columns}
        />
      </Box>
    </AppContext.Provider>
  );
}

function TooSmall(props: { size: Size; unsaved: boolean; onQuit: () => void }): React.ReactElement {
  // The top layer while it shows: only quit (and only when nothing would be lost) acts.
  const quit: Action = { id: 'quit', keys: ['q'], label: 'quit', enabled: !props.unsaved, run: props.onQuit };
  useDialogKeys([quit], { help: false });
  return (
    <Box width={props.size.columns} height={Math.max(1, props.size.rows - 1)} flexDirection="column">
      <Text>
        terminal too small: need at least {MIN_SIZE.columns}x{MIN_SIZE.rows} (now {props.size.columns}x
        {props.size.rows})
      </Text>
      <Text dimColor>
        {props.unsaved
          ? 'enlarge the window to go on: keys wait meanwhile, and your unsaved changes are kept'
          : `enlarge the window, or press ${quit.keys[0]} to quit`}
      </Text>
    </Box>
  );
}
