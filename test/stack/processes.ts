// Child-process plumbing shared by the servers the suites run (etcd, kube-apiserver, Dex, slapd):
// loopback ports, start with a log file, wait until ready or exited, stop, and a watchdog that
// removes the servers and their temp dir when the test process dies without its handlers (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function waitUntil(
  what: string,
  child: ChildProcess,
  log: string,
  timeoutMs: number,
  ready: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited(child)) {
      throw new Error(
        `${what} exited (${child.exitCode ?? child.signalCode}) before it was ready; log ${log}:\n${tail(log)}`,
      );
    }
    if (await ready()) return;
    if (Date.now() > deadline)
      throw new Error(`${what} was not ready after ${timeoutMs / 1000} s; log ${log}:\n${tail(log)}`);
    await sleep(200);
  }
}

/** Starts `bin` with stdout and stderr into `log`; `exit` resolves when the process has ended. */
export function startProcess(
  bin: string,
  args: string[],
  log: string,
  env?: NodeJS.ProcessEnv,
): ChildProcess & { ended: Promise<void> } {
  const out = createWriteStream(log);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  // Two sources into one file: neither may end it while the other still writes.
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  // 'close' (both pipes drained), then the file flushed: the whole log is on disk.
  const ended = new Promise<void>((resolve) =>
    child.once('close', () => {
      out.end(() => resolve());
    }),
  );
  return Object.assign(child, { ended });
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

/**
 * A detached shell that waits for this process to end, then kills `pids` (plus the pids listed in
 * `pidFile`, for servers started later) and removes `dir`. It covers the death no handler sees.
 */
export function startWatchdog(pids: number[], dir: string, pidFile?: string): ChildProcess {
  const extra = pidFile ? ` $(cat "${pidFile}" 2>/dev/null)` : '';
  const dog = spawn(
    '/bin/sh',
    [
      '-c',
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; kill -9 ${pids.join(' ')}${extra} 2>/dev/null; rm -rf "${dir}"`,
    ],
    { stdio: 'ignore', detached: true },
  );
  dog.unref();
  return dog;
}

/**
 * A server that owns its temp dir: started with a watchdog; `stop()` (idempotent) ends it, the
 * watchdog and the dir.
 */
export function startOwnedServer(
  bin: string,
  args: string[],
  dir: string,
  log: string,
  env?: NodeJS.ProcessEnv,
): { child: ChildProcess & { ended: Promise<void> }; stop(): Promise<void> } {
  const child = startProcess(bin, args, log, env);
  const dog = startWatchdog([child.pid!], dir);
  let stopped = false;
  return {
    child,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopProcess(child);
      dog.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
