// The terminal manners the app gets from its surroundings, as contexts: plain rendering, the
// clipboard (OSC 52), the production marks of kube contexts, and the session journal for the exit
// summary. run.tsx provides the real ones; tests provide spies. Without a provider each has a
// harmless default (colour rendering, no clipboard, no marks, no journal).
import React, { useState } from 'react';
import { ClipboardContext, type Clipboard } from './clipboard.js';
import { PlainContext } from './plain.js';
import {
  ContextMarksContext,
  readContextMarks,
  writeContextMarks,
  type ContextMarks,
} from './contextMarks.js';
import { JournalContext, type SessionJournal } from './state/journal.js';

export function MannersProvider(props: {
  plain?: boolean;
  clipboard?: Clipboard;
  /** The production marks file (contextMarks.ts); absent: no marks. */
  marksPath?: string;
  journal?: SessionJournal;
  children: React.ReactNode;
}): React.ReactElement {
  const marks = useContextMarksFile(props.marksPath);
  let tree = (
    <JournalContext.Provider value={props.journal ?? null}>{props.children}</JournalContext.Provider>
  );
  if (marks) tree = <ContextMarksContext.Provider value={marks}>{tree}</ContextMarksContext.Provider>;
  if (props.clipboard)
    tree = <ClipboardContext.Provider value={props.clipboard}>{tree}</ClipboardContext.Provider>;
  return <PlainContext.Provider value={props.plain ?? false}>{tree}</PlainContext.Provider>;
}

function useContextMarksFile(path: string | undefined): ContextMarks | null {
  const [state, setState] = useState(() => (path ? readContextMarks(path) : null));
  if (!path || !state) return null;
  const production = 'marks' in state ? state.marks.production : [];
  return {
    error: 'error' in state ? state.error : null,
    isProduction: (context) => context !== undefined && production.includes(context),
    setProduction(context, on) {
      // Re-read first: another session may have changed the file meanwhile.
      const now = readContextMarks(path);
      if ('error' in now) {
        setState(now);
        return now.error;
      }
      const list = now.marks.production.filter((c) => c !== context);
      const next = { production: on ? [...list, context] : list };
      try {
        writeContextMarks(path, next);
      } catch (err) {
        return `cannot write ${path}: ${(err as Error).message}`;
      }
      setState({ marks: next });
      return null;
    },
  };
}
