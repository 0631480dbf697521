// Validation of config.yaml before saving, one module per area: topLevel (issuer, storage, oauth2,
// YAML-wide rules; the severity table), connectors (entries), fields (values against the schema),
// crossField (settings Dex rejects together), staticPasswords. shared holds the collector.
export { validateDexConfig } from './topLevel.js';
export { bcryptCost, CHART_DEFAULT_HASH } from './staticPasswords.js';
