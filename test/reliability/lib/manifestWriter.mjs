// A second process that edits a manifest file the way another tool (or a second operator) would:
// it shares no code with the file store under test. Protocol on stdin, one JSON per line:
//   {"file": "...", "key": "rolesMapping", "value": "..."}  -> sets dex-config data[key] (base64)
// and answers "ok\n" (or "error: ...\n") once the new file is in place (temp file + rename).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseAllDocuments } from 'yaml';

function setKey(file, key, value) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  let found = false;
  for (const doc of docs) {
    const visit = (node) => {
      const obj = node?.toJSON?.();
      if (obj?.kind === 'Secret' && obj.metadata?.name === 'dex-config') {
        node.setIn(['data', key], Buffer.from(value, 'utf8').toString('base64'));
        found = true;
      }
    };
    const root = doc.contents;
    if (root?.get?.('kind') === 'List') for (const item of root.get('items').items) visit(item);
    else visit(root);
  }
  if (!found) throw new Error('no dex-config Secret in the file');
  const tmp = `${file}.writer.${process.pid}.tmp`;
  writeFileSync(tmp, docs.map((d) => d.toString()).join('---\n'));
  renameSync(tmp, file);
}

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  try {
    const { file, key, value } = JSON.parse(line);
    setKey(file, key, value);
    process.stdout.write('ok\n');
  } catch (err) {
    process.stdout.write(`error: ${err.message}\n`);
  }
});
