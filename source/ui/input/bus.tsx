// One input bus with a focus stack. Ink's useInput delivers every key to every listener, so a
// dialog on top of a list would otherwise also move the list. Here exactly one useInput exists;
// it hands each key to the top layer only (highest priority, then most recently mounted).
import React, { createContext, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useInput, useStdin, type Key } from 'ink';
import { actionFor, interpretInput, type Action } from '../keys.js';

export type KeyHandler = (name: string, input: string, key: Key) => void;

interface Layer {
  id: number;
  priority: number;
  handler: { current: KeyHandler };
  /** The registry the handler serves: what the footer and help of this layer show. */
  actions: { current: readonly Action[] };
}

/** Read access to the registry of the layer that gets the keys (for the exhaustive key test). */
export interface KeyProbe {
  top?: () => readonly Action[] | undefined;
}

interface Bus {
  register(layer: Layer): () => void;
  /** Keys that work on every layer (Ctrl+C), listed in every help. */
  always: readonly Action[];
}

const BusContext = createContext<Bus | null>(null);

export const PRIORITY = { screen: 0, modal: 100 } as const;

/** Pure: which layer gets the key. Exported for the unit test. */
export function topLayer<T extends { id: number; priority: number }>(layers: readonly T[]): T | undefined {
  let top: T | undefined;
  for (const l of layers)
    if (!top || l.priority > top.priority || (l.priority === top.priority && l.id > top.id)) top = l;
  return top;
}

let nextId = 1;

export function InputBusProvider(props: {
  children: React.ReactNode;
  /** Keys handled before any layer (Ctrl+C): the operator's way out even when a dialog misbehaves. */
  always?: readonly Action[];
  /** False while the UI is suspended (external editor), so nothing reacts. */
  active?: boolean;
  probe?: KeyProbe;
}): React.ReactElement {
  const layers = useRef<Layer[]>([]);
  const always = props.always ?? [];
  if (props.probe)
    props.probe.top = () => {
      const top = topLayer(layers.current);
      return top && [...top.actions.current, ...always];
    };
  const [bus] = useState<Bus>(() => ({
    always,
    register(layer) {
      layers.current.push(layer);
      return () => {
        layers.current = layers.current.filter((l) => l.id !== layer.id);
      };
    },
  }));
  // Keys are delivered one per React commit: a fast typist, a paste of single keys or a terminal
  // multiplexer can send several keys before React re-renders, and handlers would otherwise act
  // on stale state (losing characters, or a second Enter confirming twice).
  const queue = useRef<[string, string, Key][]>([]);
  const busy = useRef(false);
  const [tick, setTick] = useState(0);
  const deliver = () => {
    const next = queue.current.shift();
    if (!next) {
      busy.current = false;
      return;
    }
    busy.current = true;
    const [name, input, key] = next;
    const first = actionFor(always, name);
    if (first) first.run(name, input);
    else topLayer(layers.current)?.handler.current(name, input, key);
    setTick((t) => t + 1);
  };
  // Ink hands useInput a parsed event but not its raw text, and does not split "jjj" read in one
  // chunk. A listener put in front of all others on Ink's input events records the raw text of the
  // event useInput is about to receive (same synchronous emit), so interpretInput can split it.
  const { internal_eventEmitter: inputEvents } = useStdin();
  const lastRaw = useRef<string | undefined>(undefined);
  const pasting = useRef<string | null>(null);
  useEffect(() => {
    if (!inputEvents) return;
    const record = (raw: unknown) => {
      lastRaw.current = typeof raw === 'string' ? raw : undefined;
    };
    inputEvents.prependListener('input', record);
    return () => {
      inputEvents.off('input', record);
    };
  }, [inputEvents]);
  useInput(
    (input, key) => {
      const raw = lastRaw.current;
      lastRaw.current = undefined;
      const r = interpretInput(raw, input, key, pasting.current);
      pasting.current = r.pasting;
      for (const k of r.keys) queue.current.push([k.name, k.input, k.key]);
      if (!busy.current) deliver();
    },
    { isActive: props.active ?? true },
  );
  useEffect(() => {
    if (!busy.current) return;
    // Next key in a new task: chaining them inside effects would count as nested updates.
    const t = setTimeout(deliver, 0);
    return () => clearTimeout(t);
  }, [tick]);
  return <BusContext.Provider value={bus}>{props.children}</BusContext.Provider>;
}

/**
 * Registers a key layer while mounted. The handler may change every render; the layer stays.
 * Only the registry hooks (useActions.ts, useDialogKeys.ts) call it: the handler serves `actions`.
 */
export function useKeyLayer(
  handler: KeyHandler,
  priority: number = PRIORITY.screen,
  actions: readonly Action[] = [],
): void {
  const bus = useContext(BusContext);
  const ref = useRef(handler);
  ref.current = handler;
  const actionsRef = useRef(actions);
  actionsRef.current = actions;
  const [id] = useState(() => nextId++);
  // A layout effect: the layer exists as soon as the dialog is on screen, so a key typed right
  // after it appears cannot reach the screen underneath.
  useLayoutEffect(() => {
    if (!bus) return;
    return bus.register({ id, priority, handler: ref, actions: actionsRef });
  }, [bus, id, priority]);
}

/** The keys that work everywhere (for help rows). */
export function useAlwaysActions(): readonly Action[] {
  return useContext(BusContext)?.always ?? [];
}
