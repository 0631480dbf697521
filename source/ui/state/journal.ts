// What this session wrote, for the one line left in the scrollback at exit ("epinio-dex-admin:
// saved dex-config (2 changes: add connector gitlab, ...); password of bob set"). It is built from
// the app's actions, never from values: staged-step labels and the flows' status messages name
// connectors, users and keys, and no password, hash or secret ever reaches either.
import { createContext, useContext } from 'react';
import type { AppAction, AppState } from './appState.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';

/** Success statuses that report a write other than the save (users, Dex restart, backup restore). */
const WRITE_STATUS = /^(created user|deleted user|roles of|password of|Dex restarted|restored)/;

export class SessionJournal {
  readonly entries: string[] = [];
  private steps: string[] = [];
  private savedSteps: string[] | null = null;
  /** Staged steps not saved when the app was last rendered (discarded by quitting). */
  unsaved = 0;

  /** Called on every render with the current state. */
  track(state: Pick<AppState, 'steps'>): void {
    this.steps = state.steps.map((s) => s.label);
    this.unsaved = state.steps.length;
  }

  /** Called with every action before the reducer sees it. */
  observe(action: AppAction): void {
    if (action.type === 'saved') this.savedSteps = this.steps;
    if (action.type !== 'status' || action.status?.level !== 'success') return;
    const message = action.status.message;
    const switched = /^switched to context (.+)$/.exec(message);
    if (switched) this.context = switched[1]!;
    else if (message.startsWith('saved ') && this.savedSteps) {
      const steps = this.savedSteps;
      this.savedSteps = null;
      const what = message.slice('saved '.length).split(';')[0]!.trim();
      this.add(
        `saved dex-config ${what} (${steps.length} change${steps.length === 1 ? '' : 's'}${steps.length ? `: ${steps.join(', ')}` : ''})`,
      );
    } else if (WRITE_STATUS.test(message)) {
      // The parenthesised details and what follows a ';' are for the status line, not the summary.
      this.add(message.split(/;| \(/)[0]!.trim());
    }
  }

  /** Set once the operator switched context: later entries name where they were written. */
  private context: string | null = null;

  private add(entry: string): void {
    const where = this.context === null ? '' : `in context ${this.context}: `;
    this.entries.push(sanitizeForTerminal(where + entry).replace(/\s+/g, ' '));
  }

  /** The exit line, or null when nothing was written and nothing was lost. */
  summary(where: string): string | null {
    const lost = this.unsaved
      ? `${this.unsaved} staged change${this.unsaved === 1 ? '' : 's'} discarded`
      : '';
    if (!this.entries.length && !lost) return null;
    const said = this.entries.length
      ? [...this.entries, ...(lost ? [lost] : [])].join('; ')
      : `nothing saved (${lost})`;
    return `epinio-dex-admin (${where}): ${said}`;
  }
}

export const JournalContext = createContext<SessionJournal | null>(null);
export const useJournal = (): SessionJournal | null => useContext(JournalContext);
