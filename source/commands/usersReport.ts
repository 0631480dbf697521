// `users report -o csv|json|yaml|table`: the access review (domain/accessReport.ts). Lists in CSV
// cells are joined with `;`; on a terminal every cell is stripped of escapes like the table's.
import { accessReport, type AccessRow } from '../domain/accessReport.js';
import { readLogins } from './loginsRead.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import { formatCsv } from '../output/csv.js';
import { EXIT } from './exitCodes.js';
import type { CommandContext } from './context.js';
import { loadWorkspace } from './load.js';
import { emit, note, table } from './print.js';

const HEADERS = [
  'username',
  'sources',
  'roles',
  'unknown roles',
  'namespaces',
  'last login',
  'role drift',
  'next roles',
  'secret',
];

function cells(r: AccessRow) {
  return [
    r.username,
    r.sources,
    r.roles,
    r.unknownRoles,
    r.namespaces,
    r.lastLogin ?? 'unknown',
    r.drift,
    r.nextRoles ?? [],
    r.secretName,
  ] as const;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { ws } = await loadWorkspace(ctx);
  const read = await readLogins(await ctx.openStore());
  const rows = accessReport(ws, read.logins);
  // Without Dex's logins, last login is unknown and the drift is known only for Dex local users.
  if (read.note)
    note(ctx, `last login and role drift: ${read.note}; drift is computed for Dex local users only`);
  if (ctx.options.output === 'csv') {
    const tty = ctx.io.stdout.isTTY === true;
    const clean = (c: ReturnType<typeof cells>[number]) =>
      !tty
        ? c
        : Array.isArray(c)
          ? c.map((x: string) => sanitizeForTerminal(x))
          : sanitizeForTerminal(String(c));
    ctx.io.stdout.write(
      formatCsv(
        HEADERS.map((h) => h.replace(/ /g, '_')),
        rows.map((r) => cells(r).map(clean)),
      ),
    );
    return EXIT.ok;
  }
  emit(ctx, rows, () =>
    rows.length
      ? table(
          ctx,
          HEADERS,
          rows.map((r) => [...cells(r)]),
        )
      : 'no users\n',
  );
  return EXIT.ok;
}
