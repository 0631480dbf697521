// The text-field forms of the dialogs (add a Dex local user, create a user, a mapping group, a
// password): their fields and focus, and one registry with next/previous/submit/cancel and
// typing into the focused field.
import { useState } from 'react';
import type { Action } from '../keys.js';
import { textAction, textState, type TextState } from './textEdit.js';
import { useDialogKeys, type DialogKeys } from './useDialogKeys.js';

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
  /** Actions of those stops (enabled by the caller while one has focus). */
  slotActions?: Action[];
  /** False while the form is busy (hashing, writing): every key is ignored. */
  active?: boolean;
  /** After a field's text changed. */
  onEdit?: () => void;
}

/** The form's registry (a modal layer): focus, submit, cancel, and typing into the focused field. */
export function useFormKeys(form: FieldForm, options: FormKeyOptions): DialogKeys {
  const { fields, focus, setFocus, setFields } = form;
  const slots = fields.length + (options.extraSlots ?? 0);
  const inField = focus < fields.length;
  return useDialogKeys(
    [
      {
        id: 'next',
        keys: ['tab', 'down'],
        label: 'next',
        enabled: slots > 1,
        run: () => setFocus((focus + 1) % slots),
      },
      {
        id: 'prev',
        keys: ['shift+tab', 'up'],
        label: 'previous',
        enabled: slots > 1,
        run: () => setFocus((focus + slots - 1) % slots),
      },
      { id: 'submit', keys: ['enter'], label: options.submitLabel, run: options.submit },
      { id: 'cancel', keys: ['escape'], label: 'cancel', run: options.cancel },
      ...(options.slotActions ?? []),
      textAction(
        'edit the field',
        fields[Math.min(focus, fields.length - 1)]!,
        (next) => {
          setFields((fs) => fs.map((f, i) => (i === focus ? next : f)));
          options.onEdit?.();
        },
        { enabled: inField },
      ),
    ],
    { active: options.active, textFocused: inField },
  );
}
