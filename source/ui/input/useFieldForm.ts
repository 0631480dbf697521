// The text-field forms of the dialogs (add a Dex local user, create a user, a mapping group, a
// password): their fields and focus, and one key layer with next/previous/submit/cancel from the
// key registry, the rest going to the focused field.
import { useState } from 'react';
import type { Action } from '../keys.js';
import { PRIORITY, useKeyLayer } from './bus.js';
import { editText, textState, type TextState } from './textEdit.js';

export interface FieldForm {
  fields: TextState[];
  focus: number;
  setFocus: (focus: number) => void;
  setFields: React.Dispatch<React.SetStateAction<TextState[]>>;
}

export function useFieldForm(initial: readonly string[]): FieldForm {
  const [fields, setFields] = useState<TextState[]>(() => initial.map((v) => textState(v)));
  const [focus, setFocus] = useState(0);
  return { fields, focus, setFocus, setFields };
}

export interface FormKeyOptions {
  submitLabel: string;
  submit: () => void;
  cancel: () => void;
  /** Focus stops after the text fields (e.g. the password cost chooser); default: none. */
  extraSlots?: number;
  /** False while the form is busy (hashing, writing): every key is ignored. */
  active?: boolean;
  /** Keys for an extra slot (`focus >= fields.length`). */
  onSlotKey?: (name: string, slot: number) => void;
  /** After a field's text changed. */
  onEdit?: () => void;
}

/** Binds the form's keys (a modal layer) and returns its actions for the footer hints. */
export function useFormKeys(form: FieldForm, options: FormKeyOptions): Action[] {
  const { fields, focus, setFocus, setFields } = form;
  const slots = fields.length + (options.extraSlots ?? 0);
  const actions: Action[] = [
    { id: 'next', keys: ['tab', 'down'], label: 'next', run: () => setFocus((focus + 1) % slots) },
    {
      id: 'prev',
      keys: ['shift+tab', 'up'],
      label: 'previous',
      run: () => setFocus((focus + slots - 1) % slots),
    },
    { id: 'submit', keys: ['enter'], label: options.submitLabel, run: options.submit },
    { id: 'cancel', keys: ['escape'], label: 'cancel', run: options.cancel },
  ];
  useKeyLayer((name, input) => {
    if (options.active === false) return;
    const a = actions.find((x) => x.keys.includes(name));
    if (a) return a.run();
    if (focus >= fields.length) return options.onSlotKey?.(name, focus - fields.length);
    const next = editText(fields[focus]!, name, input);
    if (next) {
      setFields((fs) => fs.map((f, i) => (i === focus ? next : f)));
      options.onEdit?.();
    }
  }, PRIORITY.modal);
  return actions;
}
