// The recorded Dex logins the workspace's impact (blast radius, lockout guard, Explain) uses: read
// once per loaded snapshot, after it, so the first frame never waits for them. When they cannot be
// read, `note` says why in one line and the impact covers the Secrets and the Dex local users only.
import { useEffect, useState } from 'react';
import type { Login, Snapshot } from '../../domain/objects.js';
import { describeError } from '../../store/errors.js';
import type { Store } from '../../store/types.js';
import { loadLogins } from './useLogins.js';

export interface ImpactLogins {
  logins?: Login[];
  note?: string;
  /** The first read has not answered yet: a save must not be decided without it. */
  pending?: boolean;
}

export function useImpactLogins(store: Store, snapshot: Snapshot | null): ImpactLogins {
  const [read, setRead] = useState<ImpactLogins>({ note: 'reading Dex logins…', pending: true });
  useEffect(() => {
    if (!snapshot) return;
    let live = true;
    // The same read as the Logins screen's (one per store and snapshot, shared).
    loadLogins(store, snapshot).then(
      (logins) => live && setRead({ logins }),
      (err: unknown) =>
        live && setRead({ note: `Dex logins cannot be read: ${describeError(err).message.split('\n')[0]}` }),
    );
    return () => {
      live = false;
    };
  }, [store, snapshot]);
  return read;
}
