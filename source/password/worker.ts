// Runs bcrypt off the main thread, so the TUI keeps rendering while a high cost hashes. The worker
// lives for the whole process and answers numbered requests: a fresh worker per hash cost a thread
// start and a cold JIT (about 80 ms, most of a cost-10 hash).
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export type WorkerRequest =
  { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };
export type WorkerResponse = { ok: true; value: string | boolean } | { ok: false; error: string };
export type WorkerMessage = { id: number; request: WorkerRequest };
export type WorkerReply = { id: number; response: WorkerResponse };

function run(request: WorkerRequest): WorkerResponse {
  try {
    if (request.op === 'hash')
      return { ok: true, value: bcrypt.hashSync(request.password, bcrypt.genSaltSync(request.cost)) };
    return { ok: true, value: bcrypt.compareSync(request.password, request.hash) };
  } catch (err) {
    // Never echo the input: the message of a bcryptjs error carries no secret, but keep only it.
    return { ok: false, error: err instanceof Error ? err.message : 'bcrypt failed' };
  }
}

const port = parentPort;
port?.on('message', ({ id, request }: WorkerMessage) =>
  port.postMessage({ id, response: run(request) } satisfies WorkerReply),
);
