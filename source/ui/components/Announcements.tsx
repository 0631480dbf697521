// Plain mode's announcements: each new status (saved, staged, failed …) is written once as a line
// of its own above the frame (Ink's <Static>), so a screen reader speaks the change instead of
// having to find it in a redrawn screen.
import React, { useEffect, useRef, useState } from 'react';
import { Static, Text } from 'ink';
import type { Status } from '../state/appState.js';
import { singleLine } from '../text.js';
import { plainText } from '../plain.js';

interface Announcement {
  id: number;
  text: string;
}

export function Announcements(props: { status: Status | null }): React.ReactElement {
  const [said, setSaid] = useState<Announcement[]>([]);
  const next = useRef(1);
  const s = props.status;
  const text = s ? plainText(`${s.level}: ${singleLine(s.message)}`) : null;
  useEffect(() => {
    if (text === null) return;
    const id = next.current++;
    setSaid((list) => [...list, { id, text }]);
  }, [text, s]);
  return <Static items={said}>{(a) => <Text key={a.id}>{a.text}</Text>}</Static>;
}
