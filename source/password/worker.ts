// Runs one bcrypt operation off the main thread, so the TUI keeps rendering while a high cost hashes.
import { parentPort, workerData } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export type WorkerRequest = { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };
export type WorkerResponse = { ok: true; value: string | boolean } | { ok: false; error: string };

function run(request: WorkerRequest): WorkerResponse {
  try {
    if (request.op === 'hash') return { ok: true, value: bcrypt.hashSync(request.password, bcrypt.genSaltSync(request.cost)) };
    return { ok: true, value: bcrypt.compareSync(request.password, request.hash) };
  } catch (err) {
    // Never echo the input: the message of a bcryptjs error carries no secret, but keep only it.
    return { ok: false, error: err instanceof Error ? err.message : 'bcrypt failed' };
  }
}

if (parentPort && workerData) parentPort.postMessage(run(workerData as WorkerRequest));
