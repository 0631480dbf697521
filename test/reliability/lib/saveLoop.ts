// A child process that saves dex-config's rolesMapping into a manifest over and over (the
// signal tests kill it in the middle of a save). Prints "ready" once the store is open.
import { createFileStore } from '../../../source/store/file/fileStore.js';

const [file, backupDir] = process.argv.slice(2) as [string, string];
const store = await createFileStore(file, { backupDir });
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const base = await store.getDexConfig();
  await store.saveDexConfig({ base, changes: { rolesMapping: `# save ${i}\n[]\n` } });
}
