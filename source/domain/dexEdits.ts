// The edit operations on the YAML 1.2 Document of config.yaml. Each checks everything first and
// throws DexEditError (operator message) before touching the Document; `view` is what Dex sees.
import { randomUUID } from 'node:crypto';
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { DexConfigParseError, DexEditError, type DexEdit, type StaticPassword } from './dexTypes.js';
import { findPair, isPlainObject, keyOf, newPair, replaceValue, toNode } from './dexYaml.js';
import { parseYaml } from './dexParse.js';
import type { NodePath } from './yamlAliases.js';

type View = Record<string, unknown>;

const notFound = (id: string) =>
  new DexEditError(
    'connector.not-found',
    `there is no connector with id "${id}" in config.yaml; reload to see the current connectors`,
  );

function viewConnectors(view: View): Record<string, unknown>[] {
  return Array.isArray(view.connectors) ? (view.connectors as Record<string, unknown>[]) : [];
}

function indexOfId(view: View, id: string): number {
  return viewConnectors(view).findIndex((c) => String(c.id) === id);
}

function rootMap(doc: Document): YAMLMap {
  if (!isMap(doc.contents))
    throw new DexEditError('config.not-mapping', 'config.yaml is not a mapping; fix it as text first');
  return doc.contents;
}

/** The `connectors` sequence, created (or turned from `[]` into a block list) when asked. */
function connectorSeq(doc: Document, create: boolean): YAMLSeq | undefined {
  const root = rootMap(doc);
  const pair = findPair(root, 'connectors', false);
  if (pair && isSeq(pair.value)) {
    if (create && pair.value.items.length === 0) pair.value.flow = false;
    return pair.value;
  }
  if (!create) return undefined;
  const seq = new YAMLSeq();
  if (pair) pair.value = seq;
  else root.items.push(new Pair(new Scalar('connectors'), seq));
  return seq;
}

function connectorNode(
  doc: Document,
  view: View,
  id: string,
): { node: YAMLMap; index: number; seq: YAMLSeq } {
  const index = indexOfId(view, id);
  const seq = connectorSeq(doc, false);
  const node = seq?.items[index];
  if (index < 0 || !seq || !isMap(node)) throw notFound(id);
  return { node, index, seq };
}

function checkNewId(view: View, id: unknown, except?: number): string {
  if (typeof id !== 'string' || id.trim() === '') {
    throw new DexEditError(
      'connector.id',
      'a connector id must not be empty: Dex refuses to start with an entry without one',
    );
  }
  if (/[\s/?#%]/.test(id)) {
    throw new DexEditError(
      'connector.id',
      `the connector id "${id}" contains a space, "/", "?", "#" or "%": the id is part of the login URLs (<issuer>/auth/<id>); use letters, digits, "-" or "_"`,
    );
  }
  if (id === 'local' && view.enablePasswordDB === true) {
    throw new DexEditError(
      'connector.reserved-id',
      'the id "local" is taken by Dex\'s password database (enablePasswordDB: true); choose another id',
    );
  }
  const clash = viewConnectors(view).findIndex((c, i) => i !== except && String(c.id) === id);
  if (clash >= 0) {
    throw new DexEditError(
      'connector.duplicate-id',
      `a connector with id "${id}" already exists (connectors[${clash}]); ids must be unique, choose another one`,
    );
  }
  return id;
}

function checkText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DexEditError(
      'connector.required',
      `the connector ${what} must not be empty: Dex refuses to start with an entry without one`,
    );
  }
  return value;
}

function wrapValue(value: unknown, path: string): Node {
  try {
    return toNode(value);
  } catch (err) {
    throw new DexEditError('connector.value', `cannot write ${path}: ${(err as Error).message}`);
  }
}

function connectorAdd(doc: Document, view: View, edit: Extract<DexEdit, { op: 'connector.add' }>): void {
  const { type, id, name, config } = edit.connector;
  checkText(type, 'type');
  if (type === 'local')
    throw new DexEditError(
      'connector.type',
      'type "local" cannot be added as a connector: it is Dex\'s built-in password database, turned on with enablePasswordDB',
    );
  checkNewId(view, id);
  checkText(name, 'name');
  if (!isPlainObject(config))
    throw new DexEditError('connector.config', 'the connector config must be a mapping');
  const count = viewConnectors(view).length;
  const index = edit.index ?? count;
  if (!Number.isInteger(index) || index < 0 || index > count) {
    throw new DexEditError(
      'connector.index',
      `cannot add the connector at position ${index}: positions run from 0 to ${count}`,
    );
  }
  const node = wrapValue({ type, id, name, config }, 'the connector') as YAMLMap;
  connectorSeq(doc, true)!.items.splice(index, 0, node);
}

function connectorSet(doc: Document, view: View, edit: Extract<DexEdit, { op: 'connector.set' }>): void {
  const { node } = connectorNode(doc, view, edit.id);
  const path = edit.path;
  const shown = path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.');
  if (path.length === 0)
    throw new DexEditError(
      'connector.path',
      'connector.set needs a path such as ["config", "clientID"]; use connector.replace for the whole entry',
    );
  if (path[0] === 'id')
    throw new DexEditError(
      'connector.path',
      'use rename to change a connector id: it also updates oauth2.passwordConnector, and rolesMapping must follow',
    );
  if (path.length === 1 && (path[0] === 'type' || path[0] === 'name')) {
    if (edit.value === undefined)
      throw new DexEditError(
        'connector.required',
        `the connector ${path[0]} cannot be deleted: Dex requires type, id and name`,
      );
    checkText(edit.value, String(path[0]));
  }
  if (path.length === 1 && path[0] === 'config' && edit.value !== undefined && !isPlainObject(edit.value)) {
    throw new DexEditError('connector.config', 'config must stay a mapping: Dex cannot decode anything else');
  }
  // Walk to the parent, creating mappings on the way (only when setting).
  let parent: YAMLMap | YAMLSeq = node;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const next: unknown = getChild(parent, key);
    if (isMap(next) || isSeq(next)) {
      parent = next;
      continue;
    }
    if (edit.value === undefined) return; // nothing to delete
    if (next !== undefined && !(isScalar(next) && next.value === null)) {
      throw new DexEditError(
        'connector.path',
        `cannot set ${shown}: ${path.slice(0, i + 1).join('.')} is a single value, not a mapping or list`,
      );
    }
    const created: YAMLMap | YAMLSeq = typeof path[i + 1] === 'number' ? new YAMLSeq() : new YAMLMap();
    setChild(parent, key, created, shown);
    parent = created;
  }
  const last = path[path.length - 1];
  if (edit.value === undefined) {
    deleteChild(parent, last);
    return;
  }
  const caseInsensitive = path[0] === 'config';
  if (isMap(parent) && typeof last === 'string') {
    if (parent.flow && parent.items.length === 0) parent.flow = false;
    const pair = findPair(parent, last, caseInsensitive);
    if (pair) replaceValueChecked(pair, edit.value, shown);
    else parent.items.push(new Pair(newPair(last, null).key, wrapValue(edit.value, shown)));
    return;
  }
  setChild(parent, last, wrapValue(edit.value, shown), shown);
}

function replaceValueChecked(pair: Pair, value: unknown, shown: string): void {
  try {
    replaceValue(pair, value);
  } catch (err) {
    throw new DexEditError('connector.value', `cannot write ${shown}: ${(err as Error).message}`);
  }
}

function getChild(parent: YAMLMap | YAMLSeq, key: string | number): unknown {
  if (isMap(parent) && typeof key === 'string') return findPair(parent, key, true)?.value ?? undefined;
  if (isSeq(parent) && typeof key === 'number') return parent.items[key];
  return undefined;
}

function setChild(parent: YAMLMap | YAMLSeq, key: string | number, value: Node, shown: string): void {
  if (isMap(parent) && typeof key === 'string') {
    const pair = findPair(parent, key, true);
    if (pair) pair.value = value;
    else parent.items.push(new Pair(newPair(key, null).key, value));
    return;
  }
  if (
    isSeq(parent) &&
    typeof key === 'number' &&
    Number.isInteger(key) &&
    key >= 0 &&
    key <= parent.items.length
  ) {
    if (key === parent.items.length) parent.items.push(value);
    else {
      const old = parent.items[key] as Node | undefined;
      if (isScalar(old) && isScalar(value)) {
        old.value = value.value;
        old.type = value.type;
        old.tag = undefined;
      } else parent.items[key] = value;
    }
    return;
  }
  throw new DexEditError(
    'connector.path',
    `cannot set ${shown}: ${typeof key === 'number' ? `index ${key} is not in the list` : `"${key}" is not a key of a mapping`}`,
  );
}

function deleteChild(parent: YAMLMap | YAMLSeq, key: string | number): void {
  if (isMap(parent) && typeof key === 'string') {
    const lower = key.toLowerCase();
    // Remove every case variant: Dex would otherwise still read the one left behind.
    parent.items = parent.items.filter(
      (p) => !(typeof keyOf(p) === 'string' && (keyOf(p) as string).toLowerCase() === lower),
    );
  } else if (isSeq(parent) && typeof key === 'number') {
    if (key >= 0 && key < parent.items.length) parent.items.splice(key, 1);
  }
}

function connectorReplace(
  doc: Document,
  view: View,
  edit: Extract<DexEdit, { op: 'connector.replace' }>,
): void {
  const { node: old, index, seq } = connectorNode(doc, view, edit.id);
  let parsed;
  try {
    parsed = parseYaml(edit.yaml, 'the connector entry', 'Nothing was changed.');
  } catch (err) {
    if (err instanceof DexConfigParseError) throw new DexEditError('connector.yaml', err.message);
    throw err;
  }
  const entry = parsed.view;
  if (!isPlainObject(entry)) {
    throw new DexEditError(
      'connector.yaml',
      'the connector entry must be a mapping with type, id and name (type: github, id: github, ...). Nothing was changed.',
    );
  }
  for (const field of ['type', 'id', 'name']) {
    if (typeof entry[field] !== 'string' || (entry[field] as string).trim() === '') {
      throw new DexEditError(
        'connector.yaml',
        `the connector entry has no ${field} (or it is not text): Dex requires type, id and name. Nothing was changed.`,
      );
    }
  }
  if (entry.type === 'local')
    throw new DexEditError(
      'connector.type',
      'type "local" cannot be used in connectors: it is Dex\'s built-in password database. Nothing was changed.',
    );
  if (entry.config !== undefined && entry.config !== null && !isPlainObject(entry.config)) {
    throw new DexEditError(
      'connector.config',
      'config must be a mapping: Dex cannot decode anything else. Nothing was changed.',
    );
  }
  checkNewId(view, entry.id, index);
  const node = parsed.doc.contents as YAMLMap;
  node.commentBefore = old.commentBefore ?? node.commentBefore;
  node.spaceBefore = old.spaceBefore;
  seq.items[index] = node;
}

function connectorRename(
  doc: Document,
  view: View,
  edit: Extract<DexEdit, { op: 'connector.rename' }>,
): void {
  const { node, index } = connectorNode(doc, view, edit.from);
  if (edit.to === edit.from) return;
  checkNewId(view, edit.to, index);
  replaceValue(findPair(node, 'id', false)!, edit.to);
  const root = rootMap(doc);
  const oauth2 = findPair(root, 'oauth2', false)?.value;
  if (isMap(oauth2)) {
    const pc = findPair(oauth2, 'passwordConnector', true);
    if (pc && isScalar(pc.value) && pc.value.value === edit.from) replaceValue(pc, edit.to);
  }
  const clients = findPair(root, 'staticClients', false)?.value;
  if (isSeq(clients)) {
    for (const client of clients.items) {
      const allowed = isMap(client) ? findPair(client, 'allowedConnectors', true)?.value : undefined;
      if (!isSeq(allowed)) continue;
      for (const item of allowed.items) {
        if (isScalar(item) && item.value === edit.from) {
          item.value = edit.to;
          item.type = Scalar.QUOTE_DOUBLE;
          item.tag = undefined;
        }
      }
    }
  }
}

function staticSeq(doc: Document, create: boolean): YAMLSeq | undefined {
  const root = rootMap(doc);
  const pair = findPair(root, 'staticPasswords', false);
  if (pair && isSeq(pair.value)) {
    if (create && pair.value.items.length === 0) pair.value.flow = false;
    return pair.value;
  }
  if (pair && !(isScalar(pair.value) && pair.value.value === null) && pair.value !== null) {
    throw new DexEditError(
      'static.not-list',
      'staticPasswords in config.yaml is not a list; fix it as text first',
    );
  }
  if (!create) return undefined;
  const seq = new YAMLSeq();
  if (pair) {
    pair.value = seq;
    return seq;
  }
  const at = root.items.findIndex((p) => keyOf(p) === 'enablePasswordDB');
  root.items.splice(at >= 0 ? at + 1 : root.items.length, 0, new Pair(new Scalar('staticPasswords'), seq));
  return seq;
}

function staticIndex(view: View, email: string): number {
  const list = Array.isArray(view.staticPasswords) ? view.staticPasswords : [];
  const lower = email.toLowerCase();
  return list.findIndex(
    (e) => isPlainObject(e) && typeof e.email === 'string' && e.email.toLowerCase() === lower,
  );
}

function staticNode(
  doc: Document,
  view: View,
  email: string,
): { node: YAMLMap; index: number; seq: YAMLSeq } {
  const index = staticIndex(view, email);
  const seq = staticSeq(doc, false);
  const node = seq?.items[index];
  if (index < 0 || !seq || !isMap(node)) {
    throw new DexEditError(
      'static.not-found',
      `there is no static password for "${email}" in config.yaml; reload to see the current entries`,
    );
  }
  return { node, index, seq };
}

function staticAdd(doc: Document, view: View, entry: Omit<StaticPassword, 'index'>): void {
  const email = entry.email?.trim();
  if (!email)
    throw new DexEditError('static.email', 'a static password needs an email: it is the login name');
  if (staticIndex(view, email) >= 0) {
    throw new DexEditError(
      'static.duplicate-email',
      `a static password for "${email}" already exists (emails are compared without case); change its password instead`,
    );
  }
  if (!entry.hash && !entry.hashFromEnv) {
    throw new DexEditError(
      'static.no-hash',
      'a static password needs a hash (or hashFromEnv): Dex refuses to start with an entry without one',
    );
  }
  const ordered: Record<string, unknown> = { email };
  if (entry.hash) ordered.hash = entry.hash;
  if (entry.hashFromEnv) ordered.hashFromEnv = entry.hashFromEnv;
  if (entry.username) ordered.username = entry.username;
  if (entry.name) ordered.name = entry.name;
  ordered.userID = entry.userID || randomUUID();
  if (entry.groups?.length) ordered.groups = entry.groups;
  staticSeq(doc, true)!.items.push(toNode(ordered));
}

function staticSetHash(doc: Document, view: View, edit: Extract<DexEdit, { op: 'static.setHash' }>): void {
  if (!edit.hash)
    throw new DexEditError('static.no-hash', 'the new hash is empty: Dex would refuse to start');
  const { node } = staticNode(doc, view, edit.email);
  const pair = findPair(node, 'hash', true);
  if (pair) replaceValue(pair, edit.hash);
  else {
    const at = node.items.findIndex((p) => keyOf(p) === 'email');
    node.items.splice(at + 1, 0, newPair('hash', edit.hash));
  }
}

function passwordDbSet(doc: Document, view: View, enabled: boolean): void {
  if (!enabled && viewConnectors(view).length === 0) {
    throw new DexEditError(
      'passwordDB.last-login',
      'cannot turn off the password database while config.yaml has no connectors: Dex would refuse to start ("server: no connectors specified") and every login would fail; add a connector first',
    );
  }
  const root = rootMap(doc);
  const pair = findPair(root, 'enablePasswordDB', false);
  if (pair) {
    replaceValue(pair, enabled);
    return;
  }
  const at = root.items.findIndex((p) => keyOf(p) === 'staticPasswords');
  root.items.splice(at >= 0 ? at : root.items.length, 0, newPair('enablePasswordDB', enabled));
}

export function applyEdit(doc: Document, view: View, edit: DexEdit): void {
  switch (edit.op) {
    case 'connector.add':
      return connectorAdd(doc, view, edit);
    case 'connector.set':
      return connectorSet(doc, view, edit);
    case 'connector.replace':
      return connectorReplace(doc, view, edit);
    case 'connector.remove': {
      const { index, seq } = connectorNode(doc, view, edit.id);
      if (viewConnectors(view).length === 1 && view.enablePasswordDB !== true) {
        throw new DexEditError(
          'connector.last',
          `cannot remove "${edit.id}": it is the last connector and the password database is off, so Dex would refuse to start ("server: no connectors specified") and every login would fail; add another connector or enable the password database first`,
        );
      }
      seq.items.splice(index, 1);
      return;
    }
    case 'connector.move': {
      const { node, index, seq } = connectorNode(doc, view, edit.id);
      const n = seq.items.length;
      if (!Number.isInteger(edit.to) || edit.to < 0 || edit.to >= n) {
        throw new DexEditError(
          'connector.index',
          `cannot move "${edit.id}" to position ${edit.to}: positions run from 0 to ${n - 1}`,
        );
      }
      seq.items.splice(index, 1);
      seq.items.splice(edit.to, 0, node);
      return;
    }
    case 'connector.rename':
      return connectorRename(doc, view, edit);
    case 'static.add':
      return staticAdd(doc, view, edit.entry);
    case 'static.setHash':
      return staticSetHash(doc, view, edit);
    case 'static.remove': {
      const { index, seq } = staticNode(doc, view, edit.email);
      seq.items.splice(index, 1);
      return;
    }
    case 'passwordDB.set':
      return passwordDbSet(doc, view, edit.enabled);
    default: {
      const never: never = edit;
      throw new DexEditError('edit.unknown', `unknown edit ${(never as { op: string }).op}`);
    }
  }
}

/**
 * The nodes an edit touches, for expandAliasesAround: the connector or static password it changes,
 * removes or moves (plus the places a rename also rewrites). Adding touches no existing node.
 */
export function editScope(view: View, edit: DexEdit): NodePath[] {
  switch (edit.op) {
    case 'connector.set':
    case 'connector.replace':
    case 'connector.remove':
    case 'connector.move':
      return [['connectors', indexOfId(view, edit.id)]];
    case 'connector.rename':
      return [['connectors', indexOfId(view, edit.from)], ['oauth2'], ['staticClients']];
    case 'static.setHash':
    case 'static.remove':
      return [['staticPasswords', staticIndex(view, edit.email)]];
    case 'passwordDB.set':
      return [['enablePasswordDB']];
    default:
      return [];
  }
}
