// The users of a snapshot exactly as deriveWorkspace (workspace.ts) derives them, without the rest
// of the workspace: a user depends on its Secret and the known roles only, never on config.yaml or
// rolesMapping. `users list` shows nothing else, so it skips parsing and validating both documents
// and the impact (measured: ~45 ms of a ~300 ms start on a small install).
import type { Snapshot } from './objects.js';
import { roleIdsForValidation, rolesFromConfigMaps } from './roles.js';
import { usersFromSecrets, type EpinioUser } from './users.js';

export function deriveUsers(snapshot: Snapshot): EpinioUser[] {
  const roles = rolesFromConfigMaps(snapshot.roleConfigMaps, snapshot.epinioServerStartedAt);
  return usersFromSecrets(snapshot.users, roleIdsForValidation(roles));
}
