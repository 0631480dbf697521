// Runs one fuzz input per message in a worker thread, so the parent can bound each input's time
// (a hang = no answer within the budget) and survive stack overflows and out-of-memory aborts.
// Every error is classified: `typed` = one of the documented errors of that API, anything else is
// a crash. When the input was accepted, the worker also writes something the way the tool would
// (a random valid edit, the conversion fix, a save) and returns it for the parser + checker checks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import {
  DexConfigDocument,
  DexConfigParseError,
  DexEditError,
  type DexEdit,
} from '../../../source/domain/dexConfig.js';
import { validateDexConfig } from '../../../source/domain/dexValidation/index.js';
import { validateRolesMapping } from '../../../source/domain/mappingValidation.js';
import {
  MappingEditError,
  RolesMappingDocument,
  type MappingEdit,
} from '../../../source/domain/rolesMapping.js';
import { simulate } from '../../../source/domain/simulate.js';
import {
  formatRolesAnnotation,
  parseRolesAnnotation,
  userFromSecret,
  usersFromSecrets,
} from '../../../source/domain/users.js';
import { StoreError } from '../../../source/store/errors.js';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import type { SecretObject } from '../../../source/store/types.js';
import { Rng } from './rng.js';

export type Target = 'dex' | 'mapping' | 'users' | 'manifest';

export interface FuzzRequest {
  id: number;
  target: Target;
  bytes: Uint8Array;
  seed: number;
}

export interface FuzzResponse {
  id: number;
  /** accepted: parsed (and maybe written); typed: a documented error; crash: anything else. */
  outcome: 'accepted' | 'typed' | 'crash';
  error?: { name: string; message: string; stack?: string };
  /** A documented error refused the follow-up edit (counted, not a failure). */
  editRefused?: boolean;
  /** What the tool would write after the edit: must parse again and pass the Go checker. */
  written?: { dexConfig?: string; rolesMapping?: string };
  /** Error-severity problems our validator reports on the written config.yaml (the TUI shows them
   *  before saving): a checker refusal they announce is caught, not silent. */
  writtenErrors?: string[];
  /** A property violated on an accepted input (e.g. the written text does not parse again). */
  violation?: string;
}

const NEW_MAPPING = '- connectorId: "github"\n  groups:\n  - id: "fuzz:admins"\n    roles: ["admin"]\n';

function describe(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error)
    return {
      name: err.constructor.name,
      message: err.message.slice(0, 400),
      stack: err.stack?.split('\n').slice(0, 6).join('\n'),
    };
  return { name: typeof err, message: String(err).slice(0, 400) };
}

function randomDexEdit(doc: DexConfigDocument, rng: Rng): DexEdit {
  const connectors = doc.connectors();
  const statics = doc.staticPasswords();
  const id = connectors.length ? rng.pick(connectors).id : 'none';
  const options: (() => DexEdit)[] = [
    () => ({ op: 'connector.set', id, path: ['config', 'clientID'], value: `fuzz-${rng.string(8)}` }),
    () => ({
      op: 'connector.set',
      id,
      path: ['name'],
      value: rng.pick(['yes', 'no', '123', 'a: b', '#x', 'Fuzz "name"']),
    }),
    () => ({
      op: 'connector.add',
      connector: {
        type: 'github',
        id: `fuzz${rng.int(1e6)}`,
        name: 'Fuzz GitHub',
        config: {
          clientID: 'cid',
          clientSecret: 'csecret',
          redirectURI: 'https://auth.example.com/callback',
        },
      },
    }),
    () => ({ op: 'connector.remove', id }),
    () => ({ op: 'connector.move', id, to: rng.int(Math.max(1, connectors.length)) }),
    () => ({ op: 'connector.rename', from: id, to: `renamed${rng.int(1000)}` }),
    () => ({ op: 'passwordDB.set', enabled: rng.bool() }),
    () => ({
      op: 'static.setHash',
      email: statics.length ? rng.pick(statics).email : 'nobody@example.com',
      hash: '$2b$10$abcdefghijklmnopqrstuuJ3vHk5O0V9M1gE6o0Jx8XyRq1cU8e3a',
    }),
    () => ({
      op: 'static.add',
      entry: {
        email: `fuzz${rng.int(1e6)}@example.com`,
        username: 'fuzz',
        userID: 'u-fuzz',
        hash: '$2b$10$abcdefghijklmnopqrstuuJ3vHk5O0V9M1gE6o0Jx8XyRq1cU8e3a',
      },
    }),
  ];
  return rng.pick(options)();
}

function fuzzDex(text: string, rng: Rng): Omit<FuzzResponse, 'id'> {
  let doc: DexConfigDocument;
  try {
    doc = DexConfigDocument.parse(text);
  } catch (err) {
    if (err instanceof DexConfigParseError) return { outcome: 'typed' };
    return { outcome: 'crash', error: describe(err) };
  }
  try {
    // Every read API must cope with whatever parsed.
    validateDexConfig(doc);
    validateDexConfig(doc, { dexVersion: rng.pick(['v2.45.1', 'v2.30.0', 'garbage', '']) });
    for (const c of doc.connectors()) doc.connectorYaml(c.id);
    doc.staticPasswords();
    void doc.issuer;
    void doc.enablePasswordDB;
    doc.duplicateKeys();
  } catch (err) {
    return { outcome: 'crash', error: describe(err) };
  }
  const edit = randomDexEdit(doc, rng);
  try {
    doc.apply(edit);
  } catch (err) {
    if (err instanceof DexEditError) return { outcome: 'accepted', editRefused: true };
    return {
      outcome: 'crash',
      error: { ...describe(err), message: `apply(${edit.op}): ${describe(err).message}` },
    };
  }
  const out = doc.toString();
  let again: DexConfigDocument;
  try {
    again = DexConfigDocument.parse(out);
  } catch (err) {
    return {
      outcome: 'accepted',
      violation: `after ${JSON.stringify(edit)} the written config.yaml does not parse: ${describe(err).message}`,
      written: { dexConfig: out },
    };
  }
  const writtenErrors = validateDexConfig(again)
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.code}: ${p.message}`.slice(0, 200));
  return { outcome: 'accepted', written: { dexConfig: out }, writtenErrors };
}

function randomMappingEdit(doc: RolesMappingDocument, rng: Rng): MappingEdit {
  const entries = doc.entries();
  const e = entries.length ? rng.int(entries.length) : 0;
  const groups = entries[e]?.groups.length ?? 0;
  const options: (() => MappingEdit)[] = [
    () => ({ op: 'entry.add', connectorId: rng.pick(['github', 'ldap', 'local', 'yes', '123']) }),
    () => ({
      op: 'group.add',
      entry: e,
      group: { id: rng.pick(['acme:devs', 'no', '0x10', 'a: b', '# x']), roles: ['admin', 'user'] },
    }),
    () => ({ op: 'group.set', entry: e, group: rng.int(Math.max(1, groups)), roles: ['view_only'] }),
    () => ({ op: 'group.remove', entry: e, group: rng.int(Math.max(1, groups)) }),
    () => ({ op: 'entry.remove', index: e }),
    () => ({ op: 'entry.move', from: e, to: rng.int(Math.max(1, entries.length)) }),
    () => ({ op: 'connector.rename', from: entries[e]?.connectorId ?? 'github', to: 'renamed' }),
    () => ({ op: 'connector.removeRefs', connectorId: entries[e]?.connectorId ?? 'github' }),
    () => ({ op: 'fix.convertToModern' }),
  ];
  return rng.pick(options)();
}

function fuzzMapping(text: string, rng: Rng): Omit<FuzzResponse, 'id'> {
  let doc: RolesMappingDocument;
  try {
    // Documented never to throw: fatal shapes become problems.
    doc = RolesMappingDocument.parse(text);
    void doc.format;
    void doc.fatal;
    const entries = doc.entries();
    for (const semantics of ['modern', 'legacy'] as const) {
      validateRolesMapping(doc, {
        connectorIds: ['github', 'ldap'],
        enablePasswordDB: rng.bool(),
        knownRoles: rng.bool() ? undefined : ['admin', 'user'],
        semantics,
      });
      const groups = entries.flatMap((en) => en.groups.map((g) => g.id)).filter(() => rng.bool());
      simulate(entries, {
        connectorId: entries[0]?.connectorId ?? 'github',
        groups: [...groups, rng.string(10)],
        semantics,
        knownRoles: ['admin', 'user', 'view_only'],
        defaultRole: 'user',
      });
    }
  } catch (err) {
    return { outcome: 'crash', error: describe(err) };
  }
  const convertible =
    doc.fatal.length > 0 &&
    doc.fatal.every((p) => p.code === 'mapping.map-form' || p.code === 'mapping.scalar-roles');
  const edit: MappingEdit =
    convertible || doc.format === 'legacy' || doc.format === 'mixed'
      ? { op: 'fix.convertToModern' }
      : randomMappingEdit(doc, rng);
  try {
    doc.apply(edit);
  } catch (err) {
    if (err instanceof MappingEditError) return { outcome: 'accepted', editRefused: true };
    return {
      outcome: 'crash',
      error: { ...describe(err), message: `apply(${edit.op}): ${describe(err).message}` },
    };
  }
  const out = doc.toString();
  let again: RolesMappingDocument;
  try {
    again = RolesMappingDocument.parse(out);
  } catch (err) {
    return { outcome: 'crash', error: describe(err) };
  }
  if (again.fatal.length) {
    return {
      outcome: 'accepted',
      violation: `after ${JSON.stringify(edit)} the written rolesMapping is fatal: ${again.fatal[0]!.message}`,
      written: { rolesMapping: out },
    };
  }
  if (edit.op === 'fix.convertToModern' && again.format !== 'modern' && again.format !== 'empty') {
    return {
      outcome: 'accepted',
      violation: `fix.convertToModern left format ${again.format}`,
      written: { rolesMapping: out },
    };
  }
  return { outcome: 'accepted', written: { rolesMapping: out } };
}

function fuzzUsers(text: string, rng: Rng): Omit<FuzzResponse, 'id'> {
  // Random Secrets built from the mutated text: pieces of it as usernames, passwords, roles.
  const pieces = text.split(/\n/);
  const piece = (): string =>
    rng.bool(0.7) && pieces.length
      ? rng.pick(pieces)
      : rng.pick([
          '',
          ' ',
          ',',
          ',,',
          'admin, user',
          '$2a$10$short',
          '$2y$99$' + 'a'.repeat(53),
          '\u0000',
          text.slice(0, 5000),
        ]);
  const secrets: SecretObject[] = [];
  const n = rng.range(1, 8);
  for (let i = 0; i < n; i++) {
    const data: Record<string, string> = {};
    const annotations: Record<string, string> = {};
    for (const key of ['username', 'password', 'namespaces', 'gitconfigs', piece().slice(0, 20)])
      if (rng.bool(0.8)) data[key] = piece();
    if (rng.bool(0.8)) annotations['epinio.io/roles'] = piece();
    if (rng.bool(0.3)) annotations[piece().slice(0, 30)] = piece();
    secrets.push({
      name: rng.bool(0.9) ? `user-${i}` : piece(),
      namespace: 'epinio',
      resourceVersion: String(rng.int(1000)),
      type: rng.pick(['Opaque', 'BasicAuth', 'kubernetes.io/basic-auth', '', piece()]),
      labels: rng.bool(0.8)
        ? {
            'epinio.io/api-user-credentials': 'true',
            'app.kubernetes.io/managed-by': rng.pick(['Helm', 'helm', '']),
          }
        : {},
      annotations,
      data,
    });
  }
  try {
    for (const s of secrets) {
      const u = userFromSecret(s);
      if (
        u.hasPassword !== (s.data.password !== undefined && s.data.password !== '') &&
        u.hasPassword !== 'password' in s.data
      ) {
        return {
          outcome: 'accepted',
          violation: `hasPassword=${u.hasPassword} for data keys ${Object.keys(s.data).join(',')}`,
        };
      }
      // What `users set-roles` writes must read back as the same role list.
      const written = formatRolesAnnotation(u.roles);
      const back = parseRolesAnnotation(written);
      const expected = [...new Set(u.roles.filter((r) => r !== ''))].sort();
      // Role ids have no white space (formatRolesAnnotation removes it), so only those round-trip exactly.
      if (
        u.roles.every((r) => !/\s/.test(r) && !r.includes(',')) &&
        JSON.stringify([...back].sort()) !== JSON.stringify(expected)
      ) {
        return {
          outcome: 'accepted',
          violation: `roles ${JSON.stringify(u.roles)} written as ${JSON.stringify(written)} read back as ${JSON.stringify(back)}`,
        };
      }
    }
    const all = usersFromSecrets(secrets, rng.bool() ? undefined : ['admin', 'user']);
    if (all.length !== secrets.length)
      return {
        outcome: 'accepted',
        violation: `usersFromSecrets returned ${all.length} users for ${secrets.length} Secrets`,
      };
  } catch (err) {
    return { outcome: 'crash', error: describe(err) };
  }
  return { outcome: 'accepted' };
}

let dir: string | undefined;

async function fuzzManifest(bytes: Uint8Array, rng: Rng): Promise<Omit<FuzzResponse, 'id'>> {
  dir ??= mkdtempSync(join(tmpdir(), 'eda-fuzz-manifest-'));
  const file = join(dir, 'epinio.yaml');
  writeFileSync(file, bytes, { mode: 0o644 });
  const backupDir = join(dir, 'backups');
  let snapshot;
  let store;
  try {
    store = await createFileStore(file, { namespace: 'epinio', backupDir });
    snapshot = await store.loadSnapshot();
  } catch (err) {
    if (err instanceof StoreError) return { outcome: 'typed' };
    return { outcome: 'crash', error: describe(err) };
  }
  try {
    usersFromSecrets(snapshot.users);
    const config = snapshot.dexConfig.data['config.yaml'];
    if (config !== undefined) {
      try {
        validateDexConfig(DexConfigDocument.parse(config));
      } catch (err) {
        if (!(err instanceof DexConfigParseError)) throw err;
      }
    }
  } catch (err) {
    return { outcome: 'crash', error: describe(err) };
  }
  // A save as the tool does it: one key changed, precondition on the loaded version.
  const newMapping = rng.bool() ? NEW_MAPPING : `${NEW_MAPPING}# ${rng.string(20)}\n`;
  try {
    await store.saveDexConfig({ base: snapshot.dexConfig, changes: { rolesMapping: newMapping } });
  } catch (err) {
    if (err instanceof StoreError) return { outcome: 'accepted', editRefused: true };
    return {
      outcome: 'crash',
      error: { ...describe(err), message: `saveDexConfig: ${describe(err).message}` },
    };
  } finally {
    rmSync(backupDir, { recursive: true, force: true });
  }
  try {
    const after = await (await createFileStore(file, { namespace: 'epinio', backupDir })).loadSnapshot();
    if (after.dexConfig.data.rolesMapping !== newMapping)
      return { outcome: 'accepted', violation: 'the saved rolesMapping does not read back' };
    const others = (d: Record<string, string>) =>
      JSON.stringify(
        Object.entries(d)
          .filter(([k]) => k !== 'rolesMapping')
          .sort(),
      );
    if (others(after.dexConfig.data) !== others(snapshot.dexConfig.data))
      return { outcome: 'accepted', violation: 'the save changed other dex-config keys' };
    // A mutation may label dex-config itself as a user Secret (then it is listed as one, as Epinio
    // would): its change is the save, not a side effect on the users.
    const userData = (users: SecretObject[]) =>
      JSON.stringify(users.filter((u) => u.name !== 'dex-config').map((u) => u.data));
    if (userData(after.users) !== userData(snapshot.users)) {
      return { outcome: 'accepted', violation: 'the save changed user Secrets' };
    }
  } catch (err) {
    return { outcome: 'accepted', violation: `the saved file does not load again: ${describe(err).message}` };
  }
  return { outcome: 'accepted', written: { rolesMapping: newMapping } };
}

async function handle(req: FuzzRequest): Promise<FuzzResponse> {
  const rng = new Rng(req.seed);
  // What a Secret's base64 decodes to: invalid sequences become U+FFFD, as in the stores.
  const text = Buffer.from(req.bytes).toString('utf8');
  switch (req.target) {
    case 'dex':
      return { id: req.id, ...fuzzDex(text, rng) };
    case 'mapping':
      return { id: req.id, ...fuzzMapping(text, rng) };
    case 'users':
      return { id: req.id, ...fuzzUsers(text, rng) };
    case 'manifest':
      return { id: req.id, ...(await fuzzManifest(req.bytes, rng)) };
  }
}

parentPort?.on('message', (req: FuzzRequest) => {
  handle(req).then(
    (res) => parentPort!.postMessage(res),
    (err: unknown) =>
      parentPort!.postMessage({ id: req.id, outcome: 'crash', error: describe(err) } satisfies FuzzResponse),
  );
});
process.on('exit', () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
