// Lint: ESLint 9 + typescript-eslint 8. typescript-eslint needs TypeScript < 6.1, so the
// type-checker is TypeScript 6.0 (the last JavaScript-based compiler), not TypeScript 7.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results*', 'test/stack/go/', 'test/checker/go/'],
  },
  // The standalone executable's build output (npm run build:standalone).
  { ignores: ['dist-standalone/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // CommonJS config files of tools (dependency-cruiser reads .dependency-cruiser.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
);
