// One worker thread that runs fuzz inputs one at a time with a time budget per input. A worker that
// does not answer in time is terminated (the input counts as a hang) and replaced; a worker that
// dies (stack overflow in native code, out of memory) counts the input as a crash.
import { Worker } from 'node:worker_threads';
import type { FuzzRequest, FuzzResponse, Target } from './fuzzWorker.js';

export type PoolResult =
  | FuzzResponse
  | { id: number; outcome: 'hang' }
  | { id: number; outcome: 'died'; error: { name: string; message: string } };

const WORKER_URL = new URL('./fuzzWorker.ts', import.meta.url);

export class FuzzPool {
  private worker?: Worker;
  private nextId = 1;
  restarts = 0;

  constructor(
    readonly budgetMs: number,
    readonly memoryMb = 768,
  ) {}

  private start(): Worker {
    // The stack is the main thread's size (about 1 MB), where the CLI and the TUI run: a worker's
    // default 4 MB would let deeply nested input get further than it ever does in the tool.
    // Loader hooks registered with `--import tsx` do not reach worker threads in Node 20: the worker
    // registers tsx itself, then loads the TypeScript worker module.
    const bootstrap = `import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(WORKER_URL.href)}))`;
    const w = new Worker(bootstrap, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, stackSizeMb: 1 },
    });
    w.unref();
    return w;
  }

  run(target: Target, bytes: Buffer, seed: number): Promise<PoolResult> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: PoolResult, kill: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (kill) {
          this.worker = undefined;
          this.restarts++;
          void worker.terminate();
        }
        resolve(r);
      };
      const onMessage = (m: FuzzResponse): void => {
        if (m.id === id) finish(m, false);
      };
      const onError = (err: Error): void =>
        finish({ id, outcome: 'died', error: { name: err.name, message: err.message.slice(0, 300) } }, true);
      const onExit = (code: number): void =>
        finish({ id, outcome: 'died', error: { name: 'exit', message: `worker exited with ${code}` } }, true);
      const timer = setTimeout(() => finish({ id, outcome: 'hang' }, true), this.budgetMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const req: FuzzRequest = { id, target, bytes, seed };
      worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
