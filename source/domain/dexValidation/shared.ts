// Shared pieces of the config.yaml rules: the problem collector, path rendering, value walks,
// and the consequence text every connector rule ends with.
import type { DexConfigDocument } from '../dexConfig.js';
import { isPlainObject } from '../dexYaml.js';
import type { Problem, Severity } from '../problems.js';

// What Dex does, in the words every message uses (checked against the real Dex by the
// differential tests): it exits at startup, starts without the connector, or starts and fails logins.
export const DEX_EXITS = 'Dex refuses to start';
export const CONNECTOR_FAILS =
  'Dex cannot open this connector, so Dex starts without this connector (Dex before v2.45 does not start at all)';
export const LOGINS_FAIL = 'Dex starts, but every login through it fails';
/** A value Dex cannot decode into the connector's config struct stops Dex, on every version. */
export const DECODE_EXITS = `${DEX_EXITS} (it cannot decode the connector config)`;

export type Path = (string | number)[];

export function render(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    '',
  );
}

export function kindName(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

export function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

export class Collector {
  readonly problems: Problem[] = [];
  add(
    severity: Severity,
    code: string,
    path: readonly (string | number)[],
    message: string,
    fix?: string,
  ): void {
    this.problems.push({ severity, code, message, path: render(path), ...(fix ? { fix } : {}) });
  }
}

export interface Ctx {
  out: Collector;
  doc: DexConfigDocument;
  dexVersion?: string;
  type: string;
  id: string;
}

export function walkScalars(value: unknown, path: Path, visit: (v: unknown, path: Path) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walkScalars(v, [...path, i], visit));
  else if (isPlainObject(value))
    for (const [k, v] of Object.entries(value)) walkScalars(v, [...path, k], visit);
  else visit(value, path);
}

export function walkStrings(value: unknown, path: Path, visit: (s: string, path: Path) => void): void {
  walkScalars(value, path, (v, p) => {
    if (typeof v === 'string') visit(v, p);
  });
}

export function get(obj: Record<string, unknown>, key: string): unknown {
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : obj[k];
}
