// `backups list` and `backups restore ID`: the copies of dex-config taken before each save.
import { CONFIG_KEY } from '../domain/names.js';
import { EXIT } from './exitCodes.js';
import { CommandError, type CommandContext } from './context.js';
import { emit, note, table, warn } from './print.js';

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
  const result = await store.restoreBackup(id);
  if (result.historyWarning) warn(ctx, result.historyWarning);
  const value = { id, restoredKeys: backup.keys, backupId: result.backupId ?? null, rebased: result.rebased };
  emit(
    ctx,
    value,
    () =>
      `restored ${backup.keys.join(', ')} from backup ${id}${result.backupId ? ` (the replaced version is backup ${result.backupId})` : ''}\n`,
  );
  if (backup.keys.includes(CONFIG_KEY))
    note(
      ctx,
      `Dex reads config.yaml only at startup: run \`${ctx.io.programName} dex restart --wait\` to apply it.`,
    );
  return EXIT.ok;
}
