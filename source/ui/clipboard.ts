// Copying to the operator's clipboard with OSC 52 (ESC ] 52 ; c ; BASE64 BEL): the terminal, not
// this process, owns the clipboard, so it works over SSH and inside tmux (with `set-clipboard on`)
// where no X or Wayland clipboard is reachable. Terminals that do not support it ignore the sequence.
// The text goes only to the terminal: it is never logged, and nothing is shown of it.
import { createContext, useContext } from 'react';

/** The OSC 52 sequence that asks the terminal to put `text` on the clipboard ("c"). */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

export interface Clipboard {
  /** Sends the text to the terminal's clipboard; false when there is no terminal to send it to. */
  copy(text: string): boolean;
}

/** Writes straight to the terminal: an OSC string moves no cursor, so Ink's frame is untouched. */
export function terminalClipboard(out: { isTTY?: boolean; write(s: string): unknown }): Clipboard {
  return {
    copy(text) {
      if (!out.isTTY) return false;
      out.write(osc52(text));
      return true;
    },
  };
}

const none: Clipboard = { copy: () => false };
export const ClipboardContext = createContext<Clipboard>(none);
export const useClipboard = (): Clipboard => useContext(ClipboardContext);
