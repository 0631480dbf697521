// The one part of @kubernetes/client-node the store uses, behind a module of its own: a dynamic
// import of the package keeps every export (the generated API clients and models, ~3.4 MB
// bundled). Importing config.js directly skips the package index; scripts/build.mjs also stands in
// for the generated API layer and node-fetch, which KubeConfig needs only for makeApiClient and
// applyToFetchOptions (unused here). ~0.2 MB is left.
export { KubeConfig } from '@kubernetes/client-node/dist/config.js';
