import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  // rules/ and examples/ hold deliberately vulnerable code for the SAST rule tests and the demo.
  {
    ignores: ['dist/**', 'node_modules/**', 'out/**', 'coverage/**', 'examples/**', 'rules/**', '**/*.d.ts']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/actions/*/src/**', '../../*/src/**'],
              message: 'An action never imports another action; move shared code to packages/core.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/actions/*/src/**'], message: 'core never imports an action.' }] }
      ]
    }
  }
)
