// ESLint for the whole project: typescript-eslint's recommended rules, plus the type-aware rules
// that catch what matters most in Playwright code (an un-awaited expect or action passes silently).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'gate-results/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'bench/out/',
      'allure-*/',
      '.packgate/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Playwright fixtures take `{}` when they use no other fixture.
      'no-empty-pattern': 'off',
      'max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // A pack's specs and helpers take `test`, `expect` and the `pack` type from its generated
    // pack.gen.ts, where `pack` is typed by the pack's own names: the untyped ones let a misspelt
    // path or selector name through tsc.
    files: ['packs/**/*.ts'],
    ignores: ['packs/*/pack.gen.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '../../fixtures/index.ts',
              importNames: ['test', 'expect', 'SIGNED_OUT', 'PackContext'],
              message:
                "import it from './pack.gen.ts' (`npx packgate types` writes it): its `pack` knows the pack's names",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
