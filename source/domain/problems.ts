// A problem found by validation. Every validator in the domain returns these, so the TUI,
// the `validate` command and the pre-save check render them the same way.
export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** Stable machine code, e.g. `connector.duplicate-id`, `mapping.unknown-role`. Part of the JSON contract. */
  code: string;
  /** One sentence an operator understands: what is wrong and what it causes. */
  message: string;
  /** Where: a dotted path such as `connectors[2].config.clientSecret` or `rolesMapping[0].groups[1].roles[0]`. */
  path: string;
  /** Id of an automatic fix the domain offers for this problem, if any (e.g. `mapping.convert-to-modern`). */
  fix?: string;
}

export const errorsOf = (problems: readonly Problem[]): Problem[] =>
  problems.filter((p) => p.severity === 'error');
export const warningsOf = (problems: readonly Problem[]): Problem[] =>
  problems.filter((p) => p.severity === 'warning');
