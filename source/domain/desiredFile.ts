// The file of `export`, `diff -f` and `apply -f`: the dex-config Secret as a manifest for git, its
// two documents as plain text under `stringData` (block scalars, comments and all), so a pull
// request shows a readable diff and `kubectl get secret dex-config -o yaml` output (base64 `data`)
// reads too. A key the file lacks is not compared and not changed. `metadata.resourceVersion`, as
// export writes it, is the version the file was made from: apply refuses a file whose version is no
// longer the cluster's (a conflict); a file without one applies over the current version.
import { Document, isMap, parseDocument, Scalar, type YAMLMap } from 'yaml';
import { CONFIG_KEY, DEX_CONFIG, MAPPING_KEY } from './names.js';

export interface DesiredState {
  /** The desired config.yaml / rolesMapping text; undefined: the file does not say (left as is). */
  config?: string;
  mapping?: string;
  /** The version the file was made from, when it names one. */
  resourceVersion?: string;
  namespace?: string;
}

export class DesiredFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DesiredFileError';
  }
}

const TOP_KEYS = ['apiVersion', 'kind', 'metadata', 'type', 'data', 'stringData'];
const DATA_KEYS = [CONFIG_KEY, MAPPING_KEY];

function decodeBase64(text: string, where: string): string {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0)
    throw new DesiredFileError(`${where} is not base64 (use stringData for plain text)`);
  return new TextDecoder().decode(Uint8Array.from(atob(clean), (c) => c.charCodeAt(0)));
}

/** Reads the file's text; throws DesiredFileError with the words an operator sees. */
export function parseDesiredFile(text: string, name: string): DesiredState {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    const reason = e.message.split(/ at line \d+, column \d+/)[0].replace(/\.$/, '');
    throw new DesiredFileError(
      `${name} is not valid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${reason}`,
    );
  }
  const value = doc.toJS() as unknown;
  const shape = `${name} must be the ${DEX_CONFIG} Secret as \`export\` writes it (apiVersion: v1, kind: Secret, stringData: {${CONFIG_KEY}, ${MAPPING_KEY}})`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DesiredFileError(shape);
  const obj = value as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !TOP_KEYS.includes(k));
  if (unknown.length)
    throw new DesiredFileError(
      `${name}: unknown key${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `"${k}"`).join(', ')} at the top level (a Secret has ${TOP_KEYS.join(', ')})`,
    );
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') throw new DesiredFileError(shape);
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  if (typeof meta !== 'object' || Array.isArray(meta))
    throw new DesiredFileError(`${name}: metadata must be a mapping`);
  if (meta.name !== undefined && meta.name !== DEX_CONFIG)
    throw new DesiredFileError(`${name} is the Secret "${String(meta.name)}", not "${DEX_CONFIG}"`);
  const state: DesiredState = {};
  if (meta.resourceVersion !== undefined) state.resourceVersion = String(meta.resourceVersion);
  if (meta.namespace !== undefined) state.namespace = String(meta.namespace);
  for (const section of ['stringData', 'data'] as const) {
    const data = obj[section];
    if (data === undefined || data === null) continue;
    if (typeof data !== 'object' || Array.isArray(data))
      throw new DesiredFileError(`${name}: ${section} must be a mapping of keys to text`);
    for (const [key, raw] of Object.entries(data as Record<string, unknown>)) {
      if (!DATA_KEYS.includes(key))
        throw new DesiredFileError(
          `${name}: unknown key "${key}" in ${section} (${DEX_CONFIG} keys here are ${DATA_KEYS.join(' and ')})`,
        );
      if (typeof raw !== 'string')
        throw new DesiredFileError(`${name}: ${section}.${key} must be text (a block scalar: ${key}: |)`);
      const field = key === CONFIG_KEY ? 'config' : 'mapping';
      if (state[field] !== undefined)
        throw new DesiredFileError(`${name}: ${key} is in both data and stringData; keep one`);
      state[field] = section === 'data' ? decodeBase64(raw, `${name}: data.${key}`) : raw;
    }
  }
  if (state.config === undefined && state.mapping === undefined)
    throw new DesiredFileError(
      `${name} has neither ${CONFIG_KEY} nor ${MAPPING_KEY} under stringData: nothing to compare`,
    );
  return state;
}

function block(text: string): Scalar {
  const node = new Scalar(text);
  node.type = Scalar.BLOCK_LITERAL;
  return node;
}

/** The file export writes: a header comment, the Secret, its documents as block scalars. */
export function formatDesiredFile(state: DesiredState & { namespace: string }, header: string[]): string {
  const doc = new Document({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: DEX_CONFIG,
      namespace: state.namespace,
      ...(state.resourceVersion ? { resourceVersion: state.resourceVersion } : {}),
    },
    type: 'Opaque',
    stringData: {},
  });
  const data = doc.get('stringData', true) as YAMLMap;
  if (state.config !== undefined) data.set(CONFIG_KEY, block(state.config));
  if (state.mapping !== undefined) data.set(MAPPING_KEY, block(state.mapping));
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  const text = doc.toString({ lineWidth: 0 });
  // A round trip is the contract: what diff reads back must be exactly what was exported.
  const back = parseDesiredFile(text, 'the export');
  if (back.config !== state.config || back.mapping !== state.mapping || !isMap(doc.contents))
    throw new Error('the export does not read back as the same documents');
  return text;
}
