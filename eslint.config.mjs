import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Packages only the infrastructure libraries may import: domain code stays framework-free. */
const kafkajsBan = { name: 'kafkajs', message: 'All Kafka I/O goes through @knutepunkt/kafka.' };
const frameworks = ['@nestjs/*', 'typeorm', 'kafkajs', 'fastify', 'pg', 'prom-client'];

export default [
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '.local/**',
      '.nx/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...nx.configs['flat/base'],
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:infra', 'type:domain', 'type:util', 'type:testing'],
            },
            {
              sourceTag: 'type:infra',
              onlyDependOnLibsWithTags: ['type:infra', 'type:domain', 'type:util', 'type:testing'],
            },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            {
              sourceTag: 'type:testing',
              // Every lib may use it in its tests, so it may use only contracts.
              onlyDependOnLibsWithTags: ['type:util', 'type:testing'],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: [
                'type:infra',
                'type:domain',
                'type:util',
                'type:testing',
                'type:tool',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // NestJS modules are classes with decorators and no members.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Nest types its option bags as classes (NestApplicationContextOptions) that callers are
      // meant to pass as object literals.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // Nest resolves constructor parameters from emitted type metadata: a type-only import
    // there would erase the class and break injection.
    files: ['apps/**/*.ts', 'libs/service/**/*.ts', 'libs/kafka/src/nest/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  // Later blocks override earlier ones' `no-restricted-imports`, so the framework-free block
  // comes last and repeats the kafkajs ban.
  {
    files: ['apps/**/*.ts', 'libs/auth/**/*.ts', 'tools/**/*.ts'],
    ignores: ['tools/devstack/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [kafkajsBan] }],
    },
  },
  {
    files: [
      'libs/*/src/domain/**/*.ts',
      'libs/fhir/**/*.ts',
      'libs/config/**/*.ts',
      'libs/schemas/src/**/*.ts',
      'apps/*/src/domain/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [kafkajsBan],
          patterns: frameworks.map((group) => ({
            group: [group],
            message: 'Domain and contract code stays framework-free (STYLE.md "Shape").',
          })),
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  prettier,
];
