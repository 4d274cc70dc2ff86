// The import graph of src/: which room may import which (docs/architecture.md, "Who may import whom"), no cycles.
// This file is the one home of the layer rules; ESLint (eslint.config.js) checks code, not the graph.
// Run: npm run lint:imports. A violation prints the rule name, the importing file → the imported file, and
// the rule's comment below, which says what to do instead.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment:
        'Import cycle. Break it by moving the shared piece into the lower of the two rooms, or by passing it in ' +
        '(a parameter or an injected interface) instead of importing it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment:
        'src/core is pure (plain data in, plain data out) and imports only src/core. Move the piece the core ' +
        'needs into src/core, or have the caller (a command or an io module) pass the data in.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'core-node-builtins',
      severity: 'error',
      comment:
        'src/core does no fs, network, process or clock: of the node built-ins it may import only node:path and ' +
        'node:crypto. Do the I/O in src/io (or the command) and pass the result in.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?(path|crypto)$' },
    },
    {
      name: 'core-npm-packages',
      severity: 'error',
      comment:
        'src/core may use only the pure libraries listed in this rule (zod, yaml, js-tiktoken). A package that ' +
        'touches a terminal, the network or files belongs in an edge room; a new pure one may be added here.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '^node_modules/(zod|yaml|js-tiktoken)/' },
    },
    {
      name: 'edges-do-not-import-upward',
      severity: 'error',
      comment:
        'src/io, src/client, src/bench and src/provider-sim sit below render, commands, wizard and the CLI ' +
        'entry. Return data and let the command render it; move a shared helper down to src/core or src/io.',
      from: { path: '^src/(io|client|bench|provider-sim)/' },
      to: { path: '^src/((render|commands|wizard)/|cli\\.ts$)' },
    },
    {
      name: 'render-does-not-import-upward',
      severity: 'error',
      comment:
        'src/render turns data into strings; it does not import commands, the wizard or the CLI entry. Move the ' +
        'shared piece down (src/core, or src/render/kit for display helpers).',
      from: { path: '^src/render/' },
      to: { path: '^src/((commands|wizard)/|cli\\.ts$)' },
    },
    {
      name: 'render-imports-code-only-from-core',
      severity: 'error',
      comment:
        'src/render turns data into strings: it runs code only from src/core and src/render. From src/io and ' +
        'src/bench it may take types (import type …). Have the command load or run it and pass the data in.',
      from: { path: '^src/render/' },
      to: { path: '^src/', pathNot: '^src/(render|core)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'wizard-does-not-import-commands',
      severity: 'error',
      comment:
        'src/commands/wizard.ts drives the wizard, not the other way round. Move what the wizard needs into ' +
        'src/core, src/io or src/render.',
      from: { path: '^src/wizard/' },
      to: { path: '^src/(commands/|cli\\.ts$)' },
    },
    {
      name: 'commands-do-not-import-cli',
      severity: 'error',
      comment:
        'src/cli.ts imports the commands, not the other way round. Move what the command needs (an option ' +
        'parser, a default) into src/commands or below.',
      from: { path: '^src/commands/' },
      to: { path: '^src/cli\\.ts$' },
    },
    {
      name: 'src-does-not-import-tests',
      severity: 'error',
      comment: 'Product code never imports from test/ or scripts/; move the shared piece into src/.',
      from: { path: '^src/' },
      to: { path: '^(test|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are real edges of the design (and of cycles), so read the TypeScript before it is compiled.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
