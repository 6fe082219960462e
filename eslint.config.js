// Lint rules for every package (run per package by `turbo run lint`). Type-checking itself is `turbo run typecheck`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.venv/**', 'runs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Determinism: every random choice takes an explicit seed.
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'use a seeded RNG (Rng / BatchRng), never Math.random' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
