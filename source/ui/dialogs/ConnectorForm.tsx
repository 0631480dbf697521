// Add or edit a connector with a form generated from the type's schema: required markers,
// per-field help, inline validation. Nothing is staged until every field is valid.
import React, { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useApp } from '../appContext.js';
import { Dialog } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import { textAction, textState, type TextState } from '../input/textEdit.js';
import { GoneDialog } from './GoneDialog.js';
import { schemaFor } from '../../domain/connectorSchemas.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import {
  formEdits,
  formFields,
  validateForm,
  valueToText,
  type FormContext,
} from '../state/connectorForm.js';
import { useTheme } from '../theme.js';

export function ConnectorForm(props: { type: string; editId?: string }): React.ReactElement {
  const svc = useApp();
  const theme = useTheme();
  const schema = schemaFor(props.type);
  const doc = svc.view?.dexDoc ?? null;
  const existing = props.editId ? doc?.connector(props.editId) : undefined;
  const fields = useMemo(() => (schema ? formFields(schema, Boolean(existing)) : []), [schema, existing]);
  const [texts, setTexts] = useState<Record<string, TextState>>(() => {
    const init: Record<string, TextState> = {};
    for (const f of fields) {
      const v = f.key === 'id' ? existing?.id : f.key === 'name' ? existing?.name : existing?.config[f.key];
      init[f.key] = textState(
        existing
          ? valueToText(f, v)
          : f.key === 'redirectURI' && doc?.issuer
            ? `${doc.issuer.replace(/\/$/, '')}/callback`
            : '',
      );
    }
    return init;
  });
  const [focus, setFocus] = useState(existing ? 1 : 0);
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
  const errors = validateForm(fields, plain, ctx, Boolean(existing));
  const close = () => svc.dispatch({ type: 'popModal' });

  const submit = () => {
    setSubmitted(true);
    const bad = fields.findIndex((f) => errors[f.key]);
    if (bad >= 0) {
      setFocus(bad);
      return;
    }
    const edits = formEdits(props.type, fields, plain, existing);
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

  const move = (d: number) => setFocus((f) => (f + d + fields.length) % fields.length);
  const f = fields[Math.min(focus, fields.length - 1)];
  const touch = (key: string) => setTouched((t) => new Set(t).add(key));
  const setText = (key: string, next: TextState) => setTexts((t) => ({ ...t, [key]: next }));
  const keys = useDialogKeys(
    [
      { id: 'next', keys: ['down', 'tab'], label: 'next field', run: () => move(1) },
      { id: 'prev', keys: ['up', 'shift+tab'], label: 'previous', run: () => move(-1) },
      { id: 'submit', keys: ['enter'], label: existing ? 'stage changes' : 'stage connector', run: submit },
      {
        id: 'reveal',
        keys: ['ctrl+s'],
        label: reveal ? 'hide secrets' : 'show secrets',
        enabled: fields.some((x) => x.secret),
        run: () => setReveal((r) => !r),
      },
      { id: 'cancel', keys: ['escape'], label: 'cancel', run: close },
      {
        id: 'toggle',
        keys: ['space'],
        label: 'true / false / unset',
        enabled: f?.schema?.kind === 'bool',
        run: () => {
          const cycle = ['', 'true', 'false'];
          setText(f!.key, textState(cycle[(cycle.indexOf(texts[f!.key]!.value) + 1) % cycle.length]!));
          touch(f!.key);
        },
      },
      // Renaming is its own flow (n), with its warning: the id of an existing connector is not text here.
      textAction(
        'edit the field',
        texts[f?.key ?? ''] ?? textState(),
        (next) => {
          setText(f!.key, next);
          touch(f!.key);
          setStageError(null);
        },
        { enabled: Boolean(f) && !(f!.key === 'id' && existing) },
      ),
    ],
    { active: Boolean(schema), textFocused: Boolean(f) && !(f!.key === 'id' && existing) },
  );
  if (!schema)
    return (
      <GoneDialog
        title="Unknown connector type"
        text={`No form for type "${sanitizeForTerminal(props.type)}": use E (raw YAML) on the list.`}
      />
    );

  // Window of fields around the focused one (schemas have up to ~25 fields).
  const height = Math.max(3, Math.floor((svc.listHeight + 2) / 2));
  const start = Math.max(0, Math.min(focus - Math.floor(height / 2), fields.length - height));
  const shown = fields.slice(start, start + height);
  const focused = fields[focus]!;
  const errorCount = Object.keys(errors).length;
  return (
    <Dialog
      title={`${existing ? 'Edit' : 'Add'} ${schema.label} connector${existing ? ` ${sanitizeForTerminal(existing.id)}` : ''}`}
      keys={keys}
    >
      {shown.map((f, i) => {
        const idx = start + i;
        const show = submitted || touched.has(f.key);
        return (
          <TextField
            key={f.key}
            label={f.label}
            state={texts[f.key]!}
            focused={idx === focus}
            required={f.required}
            mask={f.secret && !reveal}
            placeholder={f.placeholder}
            error={show ? errors[f.key] : undefined}
          />
        );
      })}
      {fields.length > height ? (
        <Text dimColor>
          field {focus + 1} of {fields.length}
        </Text>
      ) : null}
      <Box marginTop={1}>
        <Text dimColor wrap="wrap">
          {focused.label}: {focused.help}
        </Text>
      </Box>
      <Text dimColor>* required</Text>
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
