// The decoded rolesMapping: what Epinio reads from each entry, and the two ways it reads them.
export type MappingFormat = 'modern' | 'legacy' | 'mixed' | 'empty';
export type Semantics = 'modern' | 'legacy';
export interface MappingGroup {
  id: string;
  roles: string[];
  legacyRole?: string;
}
export interface MappingEntry {
  connectorId: string;
  groups: MappingGroup[];
}
