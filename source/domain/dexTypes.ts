// Types and errors of the Dex config document (re-exported by dexConfig.ts).

export class DexConfigParseError extends Error {
  constructor(
    /** `yaml.syntax`, `config.not-mapping`, `config.connectors-not-list`, `config.connector-not-mapping`,
     *  `config.connector-missing-field`. */
    readonly code: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'DexConfigParseError';
  }
}

/** An edit that cannot be applied; the message is for the operator and nothing was changed. */
export class DexEditError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DexEditError';
  }
}

export interface Connector {
  type: string;
  id: string;
  name: string;
  config: Record<string, unknown>;
  index: number;
}

export interface StaticPassword {
  email: string;
  username?: string;
  name?: string;
  userID?: string;
  hash?: string;
  hashFromEnv?: string;
  groups?: string[];
  index: number;
}

export type DexEdit =
  | {
      op: 'connector.add';
      connector: { type: string; id: string; name: string; config: Record<string, unknown> };
      index?: number;
    }
  | { op: 'connector.set'; id: string; path: (string | number)[]; value: unknown }
  | { op: 'connector.replace'; id: string; yaml: string }
  | { op: 'connector.remove'; id: string }
  | { op: 'connector.move'; id: string; to: number }
  | { op: 'connector.rename'; from: string; to: string }
  | { op: 'static.add'; entry: Omit<StaticPassword, 'index'> }
  | { op: 'static.setHash'; email: string; hash: string }
  | { op: 'static.remove'; email: string }
  | { op: 'passwordDB.set'; enabled: boolean };
