// The module map of docs/design.md as rules (`npm run deps`, run in CI). Type-only imports count:
// a type the domain takes from the store is still a dependency in the wrong direction.
const IO_MODULES =
  '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|child_process|worker_threads|cluster|readline|tty|os|process|inspector|v8|vm)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycle anywhere in source/, type-only imports included.',
      from: { path: '^source/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'source/domain imports only itself and pure libraries: no store, ui, commands, password, output.',
      from: { path: '^source/domain/' },
      to: { path: '^source/(store|ui|commands|password|output)/|^source/[^/]+\\.tsx?$' },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      comment: 'source/domain does no I/O: no file system, network, processes, threads or terminal.',
      from: { path: '^source/domain/' },
      to: { dependencyTypes: ['core'], path: IO_MODULES },
    },
    {
      name: 'store-not-faces',
      severity: 'error',
      comment: 'The store serves both faces and knows neither: no ui or commands imports.',
      from: { path: '^source/store/' },
      to: { path: '^source/(ui|commands)/|^source/cli' },
    },
    {
      name: 'commands-not-ui',
      severity: 'error',
      comment: 'The scripted commands never load the TUI (only cli.tsx chooses between the faces).',
      from: { path: '^source/commands/' },
      to: { path: '^source/ui/' },
    },
    {
      name: 'ui-not-commands',
      severity: 'error',
      comment: 'The TUI never imports a command: what both need lives in the domain.',
      from: { path: '^source/ui/' },
      to: { path: '^source/commands/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    moduleSystems: ['es6', 'cjs'],
  },
};
