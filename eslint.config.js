// ESLint checks the code: typescript-eslint's recommended rules, `console` only where output is made, `process`
// only at the edges, and a core that reads no clock and no Math.random. Which room may import which (and no
// cycles) is the import-graph check's job (.dependency-cruiser.cjs), not this file's. Run: npm run lint:code.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Globals a room of src/ may not touch (docs/architecture.md, "Who may import whom"). scripts/ and test/ are free.
const CONSOLE = {
  name: 'console',
  message: 'console is for src/render and src/cli.ts: a command writes through ctx.out / ctx.err; other rooms return data or throw.',
};
const PROCESS = {
  name: 'process',
  message: 'process is read in src/cli.ts and src/io only (io/context.ts makes ctx from it): take the value as a parameter or from ctx.',
};
const CORE_ONLY = [
  { name: 'fetch', message: 'src/core does no network: fetch in src/io or src/client and pass the data in.' },
  { name: 'setTimeout', message: 'src/core does not wait: time is an input.' },
  { name: 'setInterval', message: 'src/core does not wait: time is an input.' },
];
const CLOCK = 'src/core does not read the clock: take `now` as a parameter (the command passes ctx.now()).';

export default defineConfig(
  { ignores: ['dist/', 'schema/', 'coverage/'] },

  {
    files: ['**/*.{ts,mts,js,mjs,cjs}'],
    // Not type-checked (tsc does that in `npm run typecheck`): fast, and no second TypeScript program.
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` says "unused on purpose" (a callback's position, a value dropped from a destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },

  {
    files: ['test/**'],
    rules: {
      // Tests read JSON documents and SDK responses loosely; the assertions check the shape.
      '@typescript-eslint/no-explicit-any': 'off',
      // Test regexes copy the printed text, whose runs of spaces are the indentation under test.
      'no-regex-spaces': 'off',
      // Hostile-input tests write control characters and escapes on purpose, and 1e999 to make an Infinity.
      'no-control-regex': 'off',
      'no-loss-of-precision': 'off',
    },
  },

  // The one module whose job is to find control characters and escapes in untrusted text.
  { files: ['src/core/safe-text.ts'], rules: { 'no-control-regex': 'off' } },

  // One block per room, because a later block's options replace an earlier one's (ESLint does not merge them).
  { files: ['src/**'], ignores: ['src/render/**', 'src/io/**', 'src/cli.ts', 'src/core/**'], rules: { 'no-restricted-globals': ['error', CONSOLE, PROCESS] } },
  { files: ['src/render/**'], rules: { 'no-restricted-globals': ['error', PROCESS] } },
  { files: ['src/io/**'], rules: { 'no-restricted-globals': ['error', CONSOLE] } },

  // The core is pure. Its imports (only src/core, node:path, node:crypto and a few pure packages) are the
  // import-graph check's; here, what it could reach without an import.
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-globals': ['error', CONSOLE, PROCESS, ...CORE_ONLY],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: CLOCK },
        { selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']", message: CLOCK },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'src/core draws random numbers only from the seeded PRNG in src/core/random.ts.' },
      ],
    },
  },
);
