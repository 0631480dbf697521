// `backups list` and `backups restore ID`: the copies of dex-config taken before each save.
import { EXIT } from './exitCodes.js';
import { CommandError, type CommandContext } from './context.js';
import { writeKeys } from './keyWrite.js';
import { emit, table } from './print.js';

export async function run(ctx: CommandContext): Promise<number> {
  const store = await ctx.openStore();
  const backups = await store.listBackups();

  if (ctx.spec.path[1] === 'list') {
    const rows = backups.map((b) => ({ id: b.id, takenAt: b.takenAt, location: b.location, keys: b.keys }));
    emit(ctx, rows, () =>
      rows.length
        ? table(
            ctx,
            ['id', 'taken at', 'keys', 'location'],
            rows.map((r) => [r.id, r.takenAt, r.keys, r.location]),
          )
        : 'no backups yet\n',
    );
    return EXIT.ok;
  }

  const id = ctx.args[0];
  const backup = backups.find((b) => b.id === id);
  if (!backup)
    throw new CommandError(`backup "${id}" not found`, EXIT.notFound, 'list the backups with `backups list`');
  // Through the one key-level write: the preview, the lockout guard and the precondition on the
  // loaded dex-config, as a rollback (the store's restoreBackup is the restart rollback's).
  const [snapshot, content] = await Promise.all([store.loadSnapshot(), store.readBackup(backup.id)]);
  return writeKeys(ctx, store, snapshot, content.data, `restore backup ${id}`, { kind: 'restore' });
}
