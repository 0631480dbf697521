// The one part of @kubernetes/client-node the store uses, behind a module of its own: a dynamic
// import of the package itself keeps every export (the generated API clients and models, ~3.4 MB
// bundled), while this named re-export lets esbuild drop what is unused (~1 MB left).
export { KubeConfig } from '@kubernetes/client-node';
