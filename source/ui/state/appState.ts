// App state as one pure reducer: the snapshot, staged dex-config edits (as operation lists, so
// they can be re-applied on a newer remote version after a conflict), per-tab list position,
// filter and sort, the modal stack, the status line and read-only mode. No I/O here.
import { keyHint } from '../keys.js';
import type { DexEdit } from '../../domain/dexConfig.js';
import type { MappingEdit } from '../../domain/rolesMapping.js';
import type { Capabilities, HistoryState, SecretObject, Snapshot } from '../../store/types.js';
import { clampPosition, moveCursor, type ListPosition } from './listWindow.js';

export type TabId = 'connectors' | 'mappings' | 'users' | 'static' | 'logins' | 'history';
export const TABS: readonly { id: TabId; label: string; key: string }[] = [
  { id: 'connectors', label: 'Connectors', key: '1' },
  { id: 'mappings', label: 'Role mappings', key: '2' },
  { id: 'users', label: 'Users', key: '3' },
  { id: 'static', label: 'Dex local users', key: '4' },
  { id: 'logins', label: 'Logins', key: '5' },
  { id: 'history', label: 'History', key: '6' },
];

/** Modals are data; each kind is rendered by one dialog component (dialogs/). */
export type Modal =
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'save' }
  | { kind: 'conflict'; base: SecretObject; remote: SecretObject; overlappingKeys: string[] }
  | { kind: 'restart'; reason: string }
  | { kind: 'undoSave' }
  | { kind: 'contexts' }
  | { kind: 'filter'; tab: TabId }
  | { kind: 'connectorDetail'; id: string }
  | { kind: 'connectorType' }
  | { kind: 'connectorForm'; type: string; editId?: string }
  | { kind: 'connectorDelete'; id: string }
  | { kind: 'connectorRename'; id: string }
  | { kind: 'mappingEntry'; index?: number }
  | { kind: 'mappingGroup'; entry: number; group?: number }
  | { kind: 'mappingDelete'; entry: number; group?: number }
  | { kind: 'simulate' }
  | { kind: 'userDetail'; secretName: string }
  | { kind: 'userPassword'; secretName: string }
  | { kind: 'userRoles'; secretName: string }
  | { kind: 'userCreate' }
  | { kind: 'userDelete'; secretName: string }
  | { kind: 'staticPassword'; email: string }
  | { kind: 'staticAdd' }
  | { kind: 'staticRemove'; email: string }
  | { kind: 'message'; title: string; lines: string[] }
  | { kind: 'historyRevision'; number: number }
  | { kind: 'historyWrite'; what: 'rollback' | 'reapply'; number?: number };

export type StatusLevel = 'info' | 'success' | 'warning' | 'error';
export interface Status {
  level: StatusLevel;
  message: string;
  hint?: string;
}

export type SortKey = 'default' | 'name' | 'roles';

export interface StagedStep {
  label: string;
  dex: number;
  mapping: number;
}

export interface AppState {
  snapshot: Snapshot | null;
  loading: boolean;
  loadError: Status | null;
  dexEdits: DexEdit[];
  mappingEdits: MappingEdit[];
  /** One entry per operator action (a rename stages edits in both lists), for undo. */
  steps: StagedStep[];
  tab: TabId;
  positions: Record<TabId, ListPosition>;
  filters: Record<TabId, string>;
  sorts: Record<TabId, SortKey>;
  modals: Modal[];
  status: Status | null;
  readOnly: { on: boolean; reasons: string[]; byFlag: boolean };
  /** Id of the backup taken by our last save (undo of the save). */
  lastBackupId?: string;
  /** The revision history, read after each load (store.readHistory). */
  history?: HistoryState;
  /** The Helm re-render already offered on load (its last revision and dex-config's version). */
  reapplyOffered?: string;
}

const perTab = <T>(v: T): Record<TabId, T> => ({
  connectors: v,
  mappings: v,
  users: v,
  static: v,
  logins: v,
  history: v,
});

export function initialState(options: { readOnly: boolean }): AppState {
  return {
    snapshot: null,
    loading: true,
    loadError: null,
    dexEdits: [],
    mappingEdits: [],
    steps: [],
    tab: 'connectors',
    positions: perTab({ cursor: 0, offset: 0 }),
    filters: perTab(''),
    sorts: perTab<SortKey>('default'),
    modals: [],
    status: null,
    readOnly: {
      on: options.readOnly,
      reasons: options.readOnly ? ['started with --read-only'] : [],
      byFlag: options.readOnly,
    },
  };
}

export type AppAction =
  | { type: 'loading' }
  | { type: 'loaded'; snapshot: Snapshot }
  | { type: 'loadFailed'; status: Status }
  | { type: 'capabilities'; capabilities: Capabilities }
  | { type: 'setTab'; tab: TabId }
  | { type: 'cycleTab'; delta: 1 | -1 }
  | { type: 'move'; tab: TabId; delta: number; total: number; height: number }
  | { type: 'setCursor'; tab: TabId; cursor: number; total: number; height: number }
  | { type: 'setFilter'; tab: TabId; filter: string }
  | { type: 'cycleSort'; tab: TabId }
  | { type: 'stage'; label: string; dex?: DexEdit[]; mapping?: MappingEdit[] }
  | { type: 'undoStep' }
  | { type: 'discardStaged' }
  | { type: 'rebase'; dexConfig: SecretObject }
  | { type: 'saved'; dexConfig: SecretObject; backupId?: string }
  | { type: 'userSecrets'; users: SecretObject[] }
  | { type: 'pushModal'; modal: Modal }
  | { type: 'popModal' }
  | { type: 'replaceModal'; modal: Modal }
  | { type: 'closeModals' }
  | { type: 'status'; status: Status | null }
  | { type: 'history'; history: HistoryState; offered?: string };

export const SORTS: readonly SortKey[] = ['default', 'name', 'roles'];

export function hasUnsaved(state: Pick<AppState, 'dexEdits' | 'mappingEdits'>): boolean {
  return state.dexEdits.length > 0 || state.mappingEdits.length > 0;
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'loading':
      return { ...state, loading: true };
    case 'history':
      return { ...state, history: action.history, reapplyOffered: action.offered ?? state.reapplyOffered };
    case 'loaded':
      return { ...state, loading: false, loadError: null, snapshot: action.snapshot };
    case 'loadFailed':
      return { ...state, loading: false, loadError: action.status };
    case 'capabilities': {
      const c = action.capabilities;
      if (c.writeDexConfig && c.writeUsers) return state;
      // Writes that would be refused by RBAC: better to say so up front than to fail at save.
      const reasons = [...(state.readOnly.byFlag ? ['started with --read-only'] : []), ...c.reasons];
      return {
        ...state,
        readOnly: {
          on: true,
          byFlag: state.readOnly.byFlag,
          reasons: reasons.length ? reasons : ['no write permission'],
        },
      };
    }
    case 'setTab':
      return { ...state, tab: action.tab };
    case 'cycleTab': {
      const i = TABS.findIndex((t) => t.id === state.tab);
      const next = TABS[(i + action.delta + TABS.length) % TABS.length]!;
      return { ...state, tab: next.id };
    }
    case 'move':
      return {
        ...state,
        positions: {
          ...state.positions,
          [action.tab]: moveCursor(state.positions[action.tab], action.delta, action.total, action.height),
        },
      };
    case 'setCursor':
      return {
        ...state,
        positions: {
          ...state.positions,
          [action.tab]: clampPosition(
            { cursor: action.cursor, offset: state.positions[action.tab].offset },
            action.total,
            action.height,
          ),
        },
      };
    case 'setFilter':
      return {
        ...state,
        filters: { ...state.filters, [action.tab]: action.filter },
        positions: { ...state.positions, [action.tab]: { cursor: 0, offset: 0 } },
      };
    case 'cycleSort': {
      const next = SORTS[(SORTS.indexOf(state.sorts[action.tab]) + 1) % SORTS.length]!;
      return { ...state, sorts: { ...state.sorts, [action.tab]: next } };
    }
    case 'stage': {
      const dex = action.dex ?? [];
      const mapping = action.mapping ?? [];
      if (!dex.length && !mapping.length) return state;
      return {
        ...state,
        dexEdits: [...state.dexEdits, ...dex],
        mappingEdits: [...state.mappingEdits, ...mapping],
        steps: [...state.steps, { label: action.label, dex: dex.length, mapping: mapping.length }],
        status: { level: 'info', message: `staged: ${action.label} (${keyHint('save')} to review and save)` },
      };
    }
    case 'undoStep': {
      const last = state.steps[state.steps.length - 1];
      if (!last) return { ...state, status: { level: 'info', message: 'nothing staged to undo' } };
      return {
        ...state,
        dexEdits: state.dexEdits.slice(0, state.dexEdits.length - last.dex),
        mappingEdits: state.mappingEdits.slice(0, state.mappingEdits.length - last.mapping),
        steps: state.steps.slice(0, -1),
        status: { level: 'info', message: `undone: ${last.label}` },
      };
    }
    case 'discardStaged':
      return {
        ...state,
        dexEdits: [],
        mappingEdits: [],
        steps: [],
        status: { level: 'info', message: 'staged changes discarded' },
      };
    case 'rebase':
      // The staged operations stay; they are now applied on top of the newer remote version.
      if (!state.snapshot) return state;
      return { ...state, snapshot: { ...state.snapshot, dexConfig: action.dexConfig } };
    case 'saved':
      if (!state.snapshot) return state;
      return {
        ...state,
        snapshot: { ...state.snapshot, dexConfig: action.dexConfig },
        dexEdits: [],
        mappingEdits: [],
        steps: [],
        lastBackupId: action.backupId ?? state.lastBackupId,
      };
    case 'userSecrets':
      if (!state.snapshot) return state;
      return { ...state, snapshot: { ...state.snapshot, users: action.users } };
    case 'pushModal':
      return { ...state, modals: [...state.modals, action.modal] };
    case 'popModal':
      return { ...state, modals: state.modals.slice(0, -1) };
    case 'replaceModal':
      return { ...state, modals: [...state.modals.slice(0, -1), action.modal] };
    case 'closeModals':
      return { ...state, modals: [] };
    case 'status':
      return { ...state, status: action.status };
  }
}
