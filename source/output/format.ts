// One renderer for the three output formats. JSON and YAML print the value as is (the contract
// scripts rely on); the table form is built by the command, because each chooses its columns.
import { stringify } from 'yaml';
import type { OutputFormat } from '../cliOptions.js';

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function toYaml(value: unknown): string {
  // lineWidth 0: never fold long strings, so values survive copy and paste unchanged.
  return stringify(value, { lineWidth: 0 });
}

export function render(format: OutputFormat, value: unknown, table: () => string): string {
  if (format === 'json') return toJson(value);
  if (format === 'yaml') return toYaml(value);
  return table();
}
