// One renderer for the three output formats. JSON and YAML print the value as is (the contract
// scripts rely on); the table form is built by the command, because each chooses its columns.
// A value from the cluster may hold C1 controls (U+0080-U+009F: 0x9B is a CSI to many terminals),
// bidi overrides or invisible characters, which JSON.stringify and the yaml printer pass through
// raw: both formats escape them instead (`\u009b`), which every parser reads back as the same
// value, so the output is still the value as is, and safe to print.
import { Document, Scalar, visit } from 'yaml';
import type { OutputFormat } from '../cliOptions.js';

const UNSAFE = /[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\ufeff]/g;
const escapeUnsafe = (text: string): string =>
  text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function toJson(value: unknown): string {
  // Outside strings JSON text has none of these characters, so escaping the whole text is exact.
  return `${escapeUnsafe(JSON.stringify(value, null, 2))}\n`;
}

export function toYaml(value: unknown): string {
  const doc = new Document(value);
  // Strings holding such characters are double-quoted, the one YAML style with escapes; then the
  // characters (found nowhere else in the text) are written as escapes.
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && node.value.search(UNSAFE) >= 0) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  // lineWidth 0: never fold long strings, so values survive copy and paste unchanged.
  return escapeUnsafe(doc.toString({ lineWidth: 0 }));
}

export function render(format: OutputFormat, value: unknown, table: () => string): string {
  if (format === 'json') return toJson(value);
  if (format === 'yaml') return toYaml(value);
  return table();
}
