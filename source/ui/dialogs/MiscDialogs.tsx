// Small dialogs: the `/` filter prompt, the context picker and plain messages.
import React, { useEffect, useState } from 'react';
import { Text } from 'ink';
import { useApp, type AppServices } from '../appContext.js';
import { useContextMarks, type ContextMarks } from '../contextMarks.js';
import { KEYS, type Action } from '../keys.js';
import { useTheme } from '../theme.js';
import { Dialog } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { SelectDialog } from '../components/SelectDialog.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { textAction, textState } from '../input/textEdit.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import type { TabId } from '../state/appState.js';
import type { ContextInfo } from '../../store/types.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';

export function FilterDialog(props: { tab: TabId }): React.ReactElement {
  const svc = useApp();
  const [text, setText] = useState(textState(svc.state.filters[props.tab]));
  const close = () => svc.dispatch({ type: 'popModal' });
  const keys = useDialogKeys(
    [
      {
        id: 'keep',
        keys: ['enter'],
        label: 'keep filter',
        run: () => {
          svc.dispatch({ type: 'setFilter', tab: props.tab, filter: text.value });
          close();
        },
      },
      { id: 'close', keys: ['escape'], label: 'close', run: close },
      textAction('edit the filter (empty shows all)', text, (next) => {
        setText(next);
        // Filter as you type: the list under the prompt follows.
        svc.dispatch({ type: 'setFilter', tab: props.tab, filter: next.value });
      }),
    ],
    { textFocused: true },
  );
  return (
    <Dialog title="Filter" keys={keys}>
      <TextField label="contains" state={text} focused />
      <Text dimColor>matches in this tab: {svc.view ? '(see list after closing)' : ''}</Text>
    </Dialog>
  );
}

/** Marks or unmarks the highlighted context as production (contextMarks.ts); the outcome in the status line. */
function productionMarkAction(
  context: string | undefined,
  marks: ContextMarks,
  svc: Pick<AppServices, 'dispatch'>,
): Action {
  const on = context !== undefined && marks.isProduction(context);
  return {
    id: 'mark-production',
    keys: [...KEYS.markProduction],
    label: on ? 'unmark production' : 'mark as production',
    enabled: context !== undefined,
    run: () => {
      const err = marks.setProduction(context!, !on);
      svc.dispatch({
        type: 'status',
        status: err
          ? { level: 'error', message: `marking ${context} failed: ${err}` }
          : {
              level: 'info',
              message: `context ${context} ${on ? 'is no longer marked' : 'marked'} as production`,
            },
      });
    },
  };
}

export function ContextDialog(): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const marks = useContextMarks();
  const [contexts, setContexts] = useState<ContextInfo[] | null>(null);
  const [pending, setPending] = useState<ContextInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    svc.listContexts?.().then(setContexts, (err: unknown) => setError((err as Error).message ?? String(err)));
    // Once per opening: svc changes identity on every render.
  }, []);
  const close = () => svc.dispatch({ type: 'popModal' });
  const go = (ctx: ContextInfo) => {
    close();
    void svc.switchContext?.(ctx);
  };
  if (pending) {
    return (
      <ConfirmDialog
        title={`Switch to ${sanitizeForTerminal(pending.name)}?`}
        confirmLabel="Discard staged edits and switch"
        danger
        onCancel={close}
        onConfirm={() => go(pending)}
      >
        <Text>{svc.state.steps.length} staged step(s) are not saved and would be lost.</Text>
      </ConfirmDialog>
    );
  }
  if (!contexts) {
    return (
      <ConfirmDialog title="Contexts" confirmLabel="OK" onConfirm={close} onCancel={close}>
        <Text>
          {error ? `cannot read kubeconfig contexts: ${sanitizeForTerminal(error)}` : 'reading kubeconfig…'}
        </Text>
      </ConfirmDialog>
    );
  }
  return (
    <SelectDialog
      title="Switch kubeconfig context"
      items={contexts.map((c) => ({
        id: c.name,
        label: `${c.current ? '* ' : '  '}${sanitizeForTerminal(c.name)}${marks.isProduction(c.name) ? ' [PRODUCTION]' : ''}`,
        hint: `${sanitizeForTerminal(c.cluster)}${c.server ? ` ${sanitizeForTerminal(c.server)}` : ''}${c.namespace ? ` ns ${sanitizeForTerminal(c.namespace)}` : ''}`,
      }))}
      height={Math.max(3, svc.listHeight - 2)}
      intro={marks.error ? <Text color={theme.error}>{sanitizeForTerminal(marks.error)}</Text> : undefined}
      itemActions={(item) => [productionMarkAction(item?.id, marks, svc)]}
      onCancel={close}
      onSelect={(item) => {
        const ctx = contexts.find((c) => c.name === item.id)!;
        if (svc.state.steps.length) setPending(ctx);
        else go(ctx);
      }}
    />
  );
}

export function MessageDialog(props: { title: string; lines: string[] }): React.ReactElement {
  const svc = useApp();
  const close = () => svc.dispatch({ type: 'popModal' });
  return (
    <ConfirmDialog
      title={props.title}
      confirmLabel="OK"
      cancelLabel="Close"
      onConfirm={close}
      onCancel={close}
    >
      {props.lines.map((l, i) => (
        <Text key={i} wrap="wrap">
          {sanitizeForTerminal(l)}
        </Text>
      ))}
    </ConfirmDialog>
  );
}
