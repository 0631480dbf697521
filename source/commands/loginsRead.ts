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

export async function readLogins(store: Store): Promise<LoginsRead> {
  try {
    return { logins: await store.listLogins() };
  } catch (err) {
    const first = ((err as Error).message ?? String(err)).split('\n')[0];
    return { note: `Dex logins cannot be read: ${first}` };
  }
}
