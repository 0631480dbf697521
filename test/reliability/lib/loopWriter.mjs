// A second writer that rewrites a manifest in a tight loop, sharing no code with the file store:
// each write reads the file, sets dex-config's `endpoint` to `w-<n>` and puts the new file in place
// with a temp file and rename (as sed -i, kubectl and most editors do). With `lock` it first takes
// the tool's lock file (O_EXCL `.NAME.lock`), as another epinio-dex-admin would; with `rename` it
// ignores it. Commands on stdin: `burst N` writes N times (gaps of 0-3 ms, often none) and answers
// `done <last n> <lost> <missing>`: `lost` counts reads that did not find its own previous value
// (someone overwrote a write of ours with an older version), `missing` reads that found no file.
import { openSync, closeSync, writeSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseAllDocuments } from 'yaml';

const [file, mode] = process.argv.slice(2);
const lock = join(dirname(file), `.${basename(file)}.lock`);
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let n = 0;
let lost = 0;
let missing = 0;
let previous;

async function takeLock() {
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(
        fd,
        JSON.stringify({
          pid: process.pid,
          host: 'loop-writer',
          since: new Date().toISOString(),
          nonce: `w${n}`,
        }),
      );
      closeSync(fd);
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      await sleep(1);
    }
  }
}

async function readText() {
  for (;;) {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
      missing++;
      await sleep(0);
    }
  }
}

async function writeOnce() {
  if (mode === 'lock') await takeLock();
  try {
    const docs = parseAllDocuments(await readText());
    let found = false;
    for (const doc of docs) {
      const root = doc.contents;
      const items = root?.get?.('kind') === 'List' ? root.get('items').items : [root];
      for (const node of items) {
        const obj = node?.toJSON?.();
        if (obj?.kind !== 'Secret' || obj.metadata?.name !== 'dex-config') continue;
        const now = obj.data?.endpoint;
        if (previous !== undefined && now !== previous) lost++;
        n++;
        previous = b64(`w-${n}`);
        node.setIn(['data', 'endpoint'], previous);
        found = true;
      }
    }
    if (!found) throw new Error('no dex-config Secret in the file');
    const tmp = `${file}.loop.${process.pid}.tmp`;
    writeFileSync(tmp, docs.map((d) => d.toString()).join('---\n'));
    renameSync(tmp, file);
  } finally {
    if (mode === 'lock') unlinkSync(lock);
  }
}

const rl = createInterface({ input: process.stdin });
let queue = Promise.resolve();
rl.on('line', (line) => {
  const [cmd, count] = line.split(' ');
  if (cmd !== 'burst') return;
  queue = queue.then(async () => {
    try {
      for (let i = 0; i < Number(count); i++) {
        await writeOnce();
        const gap = Math.random();
        if (gap > 0.5) await sleep(Math.floor(gap * 4));
      }
      process.stdout.write(`done ${n} ${lost} ${missing}\n`);
    } catch (err) {
      process.stdout.write(`error: ${err.message}\n`);
    }
  });
});
