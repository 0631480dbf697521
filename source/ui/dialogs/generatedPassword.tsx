// The "generate a strong password" option of every password dialog (reset, new Epinio user, Dex
// local user): fills both password fields, shows the password once inside the dialog (the fields
// stay masked), and copies it with OSC 52 on request. It lives only in the dialog's state: closing
// the dialog or editing the field makes it disappear, and it is never logged or put in a status.
import React, { useState } from 'react';
import { Text } from 'ink';
import { generatePassword, generatedBits } from '../../password/generate.js';
import { textState } from '../input/textEdit.js';
import type { FieldForm } from '../input/useFieldForm.js';
import { keyHint, KEYS, type Action } from '../keys.js';
import { useClipboard } from '../clipboard.js';
import { useTheme } from '../theme.js';

export interface GeneratedPassword {
  /** Generate and copy: for the form's registry (they work while a text field has focus). */
  actions: Action[];
  /** The password and how to copy it, while the fields still hold it; null otherwise. */
  view: React.ReactNode;
}

/** `fields`: the indices of the password field and its repetition in the form. */
export function useGeneratedPassword(form: FieldForm, fields: readonly number[]): GeneratedPassword {
  const clipboard = useClipboard();
  const theme = useTheme();
  const [generated, setGenerated] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const current = form.fields[fields[0]!]?.value;
  const shown = generated !== null && current === generated;
  const actions: Action[] = [
    {
      id: 'generate-password',
      keys: [...KEYS.generatePassword],
      label: 'generate a strong password',
      run: () => {
        const pw = generatePassword();
        setGenerated(pw);
        setCopied(null);
        form.setFields((fs) => fs.map((f, i) => (fields.includes(i) ? textState(pw) : f)));
      },
    },
    {
      id: 'copy-password',
      keys: [...KEYS.copyPassword],
      label: 'copy the generated password (OSC 52)',
      enabled: shown,
      run: () => setCopied(clipboard.copy(generated!)),
    },
  ];
  const view = shown ? (
    <>
      <Text>
        generated ({generatedBits()} bits): <Text bold>{generated}</Text>
      </Text>
      <Text dimColor>
        {keyHint('copyPassword')} copies it to the clipboard (OSC 52); note it now, it is not shown again
      </Text>
      {copied === true ? (
        <Text color={theme.success}>copied: the terminal was asked to put it on the clipboard</Text>
      ) : copied === false ? (
        <Text color={theme.warning}>cannot copy: the output is not a terminal</Text>
      ) : null}
    </>
  ) : null;
  return { actions, view };
}
