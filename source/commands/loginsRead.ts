// The logins the impact rules use, read through the store. Degrades to none with one line saying
// why (no Dex storage here, RBAC denies it, a store that cannot read them), so an edit or an
// explanation still works from the Secrets and the mapping: the logins only add identities.
import type { Login } from '../domain/objects.js';
import type { Store } from '../store/types.js';

export interface LoginsRead {
  /** undefined when they could not be read. */
  logins?: Login[];
  /** Why not, in one line. */
  note?: string;
}

type WithLogins = { listLogins?: () => Promise<Login[]> };

export async function readLogins(store: Store): Promise<LoginsRead> {
  const list = (store as unknown as WithLogins).listLogins;
  if (typeof list !== 'function') return { note: 'this store cannot read Dex logins' };
  try {
    return { logins: await list.call(store) };
  } catch (err) {
    const first = ((err as Error).message ?? String(err)).split('\n')[0];
    return { note: `Dex logins cannot be read: ${first}` };
  }
}
