// Add or edit a connector with a form generated from the type's schema: nested objects as
// indented sub-fields and list items, enums and booleans as pickers, required markers, per-field
// help, inline errors and space warnings. Nothing is staged until every field is valid.
import React, { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useApp } from '../appContext.js';
import { Dialog } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import { textAction, textState, type TextState } from '../input/textEdit.js';
import { GoneDialog } from './GoneDialog.js';
import { keyHint, KEYS } from '../keys.js';
import { schemaFor } from '../../domain/connectorSchemas.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import {
  addItem,
  focusable,
  formEdits,
  formFields,
  formWarnings,
  initialForm,
  removeItem,
  validateForm,
  type FormContext,
  type FormField,
  type ListItems,
} from '../state/connectorForm.js';
import { useTheme } from '../theme.js';

const indent = (f: FormField) => '  '.repeat(f.depth);

export function ConnectorForm(props: { type: string; editId?: string }): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const schema = schemaFor(props.type);
  const doc = svc.view?.dexDoc ?? null;
  const existing = props.editId ? doc?.connector(props.editId) : undefined;
  const editing = Boolean(existing);
  const start = useMemo(() => (schema ? initialForm(schema, existing) : null), [schema, existing]);
  const [items, setItems] = useState<ListItems>(() => start?.items ?? {});
  const [texts, setTexts] = useState<Record<string, TextState>>(() => {
    const init: Record<string, TextState> = {};
    for (const [k, v] of Object.entries(start?.texts ?? {})) init[k] = textState(v);
    if (!existing && doc?.issuer && 'redirectURI' in init)
      init.redirectURI = textState(`${doc.issuer.replace(/\/$/, '')}/callback`);
    return init;
  });
  const fields = useMemo(() => (schema ? formFields(schema, editing, items) : []), [schema, editing, items]);
  const stops = fields.filter(focusable);
  const [focusKey, setFocusKey] = useState(editing ? 'name' : 'id');
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [reveal, setReveal] = useState(false);
  const [stageError, setStageError] = useState<string | null>(null);

  const ctx: FormContext = {
    otherIds: (doc?.connectors() ?? []).map((c) => c.id).filter((id) => id !== props.editId),
    enablePasswordDB: doc?.enablePasswordDB ?? false,
    callbackURL:
      schema?.kind === 'callback' && doc?.issuer ? `${doc.issuer.replace(/\/$/, '')}/callback` : undefined,
  };
  const plain = Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, v.value]));
  const errors = validateForm(fields, plain, ctx, editing);
  const warnings = formWarnings(fields, plain);
  const close = () => svc.dispatch({ type: 'popModal' });

  const submit = () => {
    setSubmitted(true);
    const bad = stops.find((f) => errors[f.key]);
    if (bad) return setFocusKey(bad.key);
    const edits = formEdits(props.type, fields, plain, existing, items);
    if (!edits.length) {
      close();
      svc.dispatch({
        type: 'status',
        status: { level: 'info', message: 'no field changed; nothing staged' },
      });
      return;
    }
    const label = existing
      ? `edit connector ${existing.id}`
      : `add ${props.type} connector ${plain.id!.trim()}`;
    const err = svc.stage(label, edits);
    if (err) setStageError(err);
    else close();
  };

  const at = Math.max(
    0,
    stops.findIndex((f) => f.key === focusKey),
  );
  const f = stops[at];
  const move = (d: number) => setFocusKey(stops[(at + d + stops.length) % stops.length]!.key);
  const touch = (key: string) => setTouched((t) => new Set(t).add(key));
  const setText = (key: string, next: TextState) => {
    setTexts((t) => ({ ...t, [key]: next }));
    touch(key);
    setStageError(null);
  };
  const pick = (d: 1 | -1) => {
    const choices = f!.choices!;
    const i = choices.indexOf(texts[f!.key]?.value ?? '');
    setText(f!.key, textState(choices[(i + d + choices.length) % choices.length]!));
  };
  // The list the focus is in (its header, or a field of one of its items), and the item.
  const list = f?.control === 'list' ? f.key : f?.list;
  const listField = fields.find((x) => x.key === list);
  const itemIndex = f?.list && listField ? (f.path[listField.path.length] as number) : undefined;
  const typing = f?.control === 'text' && !(f.key === 'id' && editing);
  const keys = useDialogKeys(
    [
      { id: 'next', keys: ['down', 'tab'], label: 'next field', run: () => move(1) },
      { id: 'prev', keys: ['up', 'shift+tab'], label: 'previous', run: () => move(-1) },
      { id: 'submit', keys: ['enter'], label: existing ? 'stage changes' : 'stage connector', run: submit },
      {
        id: 'pick-next',
        keys: [...KEYS.nextChoice],
        label: 'next choice',
        enabled: f?.control === 'picker',
        run: () => pick(1),
      },
      {
        id: 'pick-prev',
        keys: [...KEYS.previousChoice],
        label: 'previous choice',
        enabled: f?.control === 'picker',
        run: () => pick(-1),
      },
      {
        id: 'add-item',
        keys: [...KEYS.addItem],
        label: `add ${listField?.label ?? 'item'}`,
        enabled: Boolean(list),
        run: () => {
          const next = addItem(items, list!);
          setItems(next);
          const added = formFields(schema!, editing, next).find(
            (x) =>
              x.list === list && x.path[listField!.path.length] === next[list!]!.length - 1 && focusable(x),
          );
          if (added) setFocusKey(added.key);
        },
      },
      {
        id: 'remove-item',
        keys: [...KEYS.removeItem],
        label: 'remove this item',
        enabled: itemIndex !== undefined,
        run: () => {
          const plainNow = Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, v.value]));
          const r = removeItem(items, plainNow, list!, itemIndex!);
          setItems(r.items);
          setTexts(Object.fromEntries(Object.entries(r.texts).map(([k, v]) => [k, textState(v)])));
          setFocusKey(list!);
        },
      },
      {
        id: 'reveal',
        keys: ['ctrl+s'],
        label: reveal ? 'hide secrets' : 'show secrets',
        enabled: fields.some((x) => x.secret),
        run: () => setReveal((r) => !r),
      },
      { id: 'cancel', keys: ['escape'], label: 'cancel', run: close },
      // Renaming is its own flow (rename on the list), with its warning: the id of an existing connector is not text here.
      textAction('edit the field', texts[f?.key ?? ''] ?? textState(), (next) => setText(f!.key, next), {
        enabled: typing,
      }),
    ],
    { active: Boolean(schema), textFocused: typing },
  );
  if (!schema)
    return (
      <GoneDialog
        title="Unknown connector type"
        text={`No form for type "${sanitizeForTerminal(props.type)}": use ${keyHint('rawEdit')} (raw YAML) on the list.`}
      />
    );

  // Window of rows around the focused one (a schema has up to ~40 rows with its sub-fields).
  const height = Math.max(3, Math.floor((svc.listHeight + 2) / 2));
  const row = Math.max(
    0,
    fields.findIndex((x) => x.key === f?.key),
  );
  const first = Math.max(0, Math.min(row - Math.floor(height / 2), fields.length - height));
  const shown = fields.slice(first, first + height);
  const errorCount = Object.keys(errors).length;
  return (
    <Dialog
      title={`${existing ? 'Edit' : 'Add'} ${schema.label} connector${existing ? ` ${sanitizeForTerminal(existing.id)}` : ''}`}
      keys={keys}
    >
      {shown.map((x) => {
        const focused = x.key === f?.key;
        const show = submitted || touched.has(x.key);
        const error = show ? errors[x.key] : undefined;
        const label = `${indent(x)}${x.label}`;
        if (x.control === 'heading')
          return (
            <Text key={x.key} bold wrap="truncate-end">
              {'  '}
              {label}
              {x.required ? ' *' : ''}
            </Text>
          );
        if (x.control === 'text')
          return (
            <Box key={x.key} flexDirection="column">
              <TextField
                label={label}
                state={texts[x.key] ?? textState()}
                focused={focused}
                required={x.required}
                mask={x.secret && !reveal}
                placeholder={x.placeholder}
                error={error}
              />
              {warnings[x.key] ? (
                <Text color={theme.warning} wrap="truncate-end">
                  {'    '}! {warnings[x.key]}
                </Text>
              ) : null}
            </Box>
          );
        const value = texts[x.key]?.value ?? '';
        return (
          <Box key={x.key} flexDirection="column">
            <Text bold={focused} wrap="truncate-end">
              {focused ? theme.marker : ' '} {label}
              {x.required ? ' *' : ''}:{' '}
              {x.control === 'list' ? (
                <Text dimColor>{x.placeholder}</Text>
              ) : (
                <>
                  {'< '}
                  <Text inverse={focused} dimColor={!value}>
                    {value
                      ? sanitizeForTerminal(value)
                      : `unset${x.placeholder ? ` (${x.placeholder})` : ''}`}
                  </Text>
                  {' >'}
                </>
              )}
            </Text>
            {error ? (
              <Text color={theme.error} wrap="wrap">
                {'    '}✗ {error}
              </Text>
            ) : null}
          </Box>
        );
      })}
      {fields.length > height ? (
        <Text dimColor>
          field {at + 1} of {stops.length}
        </Text>
      ) : null}
      <Box marginTop={1}>
        <Text dimColor wrap="wrap">
          {f ? `${f.label}: ${f.help}` : ''}
        </Text>
      </Box>
      <Text dimColor>* required (inside an object: whenever the object is used)</Text>
      {submitted && errorCount ? (
        <Text color={theme.error}>
          ✗ {errorCount} field{errorCount === 1 ? '' : 's'} need{errorCount === 1 ? 's' : ''} attention;
          nothing was staged
        </Text>
      ) : null}
      {stageError ? <Text color={theme.error}>✗ cannot stage: {sanitizeForTerminal(stageError)}</Text> : null}
    </Dialog>
  );
}
