// bcrypt in a worker thread: hashing at cost 12+ takes long enough to freeze the event loop.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BCRYPT_COST_RANGE, BCRYPT_MAX_BYTES, overLengthMessage } from './policy.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

let overridePath: string | undefined;

/** Where the worker script is when the default lookup cannot find it (e.g. a bundle's dist/password-worker.js). */
export function setWorkerPath(path: string | undefined): void {
  overridePath = path;
  stopWorker();
}

/** The worker's bundled source, run with `eval`: the standalone executable has no files beside it. */
let overrideCode: string | undefined;

export function setWorkerCode(code: string): void {
  overrideCode = code;
  stopWorker();
}

type Target = { file: string | URL; eval?: boolean };

/** Under tsx (running from sources) the worker is TypeScript: register tsx inside the worker first. */
function typescriptWorker(file: URL): Target {
  let api: string;
  try {
    api = import.meta.resolve('tsx/esm/api');
  } catch {
    throw new Error(
      'the password worker is TypeScript but tsx is not installed; run the bundled program instead',
    );
  }
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(file.href)}); });`;
  return { file: code, eval: true };
}

function workerTarget(): Target {
  if (overrideCode !== undefined) return { file: overrideCode, eval: true };
  if (overridePath) {
    const url = pathToFileURL(overridePath);
    return overridePath.endsWith('.ts') ? typescriptWorker(url) : { file: url };
  }
  // Next to this module: worker.js when compiled, password-worker.js beside a bundle, worker.ts under tsx.
  for (const name of ['./worker.js', './password-worker.js']) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) return { file: url };
  }
  const ts = new URL('./worker.ts', import.meta.url);
  if (existsSync(fileURLToPath(ts))) return typescriptWorker(ts);
  throw new Error('the password worker script is missing next to the program; reinstall epinio-dex-admin');
}

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (err: Error) => void;
}

/** One worker for the process, started on first use; unref'd while idle so it never keeps the
 *  program alive. A crash rejects what was pending and the next request starts a new one. */
let shared: { worker: Worker; pending: Map<number, Pending> } | undefined;
let nextId = 0;

function stopWorker(): void {
  void shared?.worker.terminate();
  shared = undefined;
}

function sharedWorker(): NonNullable<typeof shared> {
  if (shared) return shared;
  const target = workerTarget();
  const worker = new Worker(target.file, { eval: target.eval ?? false });
  const current = { worker, pending: new Map<number, Pending>() };
  const fail = (err: Error) => {
    if (shared === current) shared = undefined;
    for (const p of current.pending.values()) p.reject(err);
    current.pending.clear();
  };
  worker.on('message', ({ id, response }: WorkerReply) => {
    const p = current.pending.get(id);
    if (!p) return;
    current.pending.delete(id);
    if (current.pending.size === 0) worker.unref();
    if (response.ok) p.resolve(response.value);
    else p.reject(new Error(`bcrypt failed: ${response.error}`));
  });
  worker.on('error', (err) => fail(new Error(`the password worker failed: ${err.message}`)));
  worker.on('exit', (code) => fail(new Error(`the password worker exited (code ${code}) without an answer`)));
  worker.unref();
  shared = current;
  return current;
}

/** Starts the worker ahead of need (e.g. when a password dialog opens), so the first hash is warm. */
export function prewarmPasswordWorker(): void {
  try {
    sharedWorker();
  } catch {
    // The first real request reports a missing worker with its message.
  }
}

function runWorker(request: WorkerRequest): Promise<string | boolean> {
  const { worker, pending } = sharedWorker();
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, request });
  });
}

/** A `$2b$` bcrypt hash. Rejects a cost bcrypt cannot use and passwords bcrypt would truncate. */
export async function hashPassword(pw: string, cost: number): Promise<string> {
  if (!Number.isInteger(cost) || cost < BCRYPT_COST_RANGE.min || cost > BCRYPT_COST_RANGE.max) {
    throw new RangeError(
      `bcrypt cost ${cost} is out of range: use a whole number from ${BCRYPT_COST_RANGE.min} to ${BCRYPT_COST_RANGE.max} (10–12 works for Epinio and Dex)`,
    );
  }
  if (pw.length === 0) throw new RangeError('the password is empty: type a password');
  const bytes = Buffer.byteLength(pw, 'utf8');
  if (bytes > BCRYPT_MAX_BYTES) throw new RangeError(overLengthMessage(bytes));
  const hash = await runWorker({ op: 'hash', password: pw, cost });
  return hash as string;
}

/** True when `pw` matches `hash`; false for a wrong password or a hash bcrypt cannot read. */
export async function verifyPassword(pw: string, hash: string): Promise<boolean> {
  if (!/^\$2[abxy]?\$\d\d\$/.test(hash)) return false;
  return (await runWorker({ op: 'verify', password: pw, hash })) as boolean;
}
