import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { typescriptWithDecoratorMetadata } from './libs/testing/src/vitest-plugin';

const libs = ['common', 'persistence', 'agents', 'sessions', 'messaging', 'auth', 'realtime', 'testing', 'client', 'operations'];

/** `TEST_DATABASE=postgres` (npm run test:pg) runs only the e2e suites, on PostgreSQL. */
export default defineConfig({
  plugins: [typescriptWithDecoratorMetadata()],
  oxc: false,
  resolve: {
    alias: Object.fromEntries(libs.map((lib) => [`@switchboard/${lib}`, resolve(import.meta.dirname, `libs/${lib}/src`)])),
  },
  test: {
    globals: true,
    environment: 'node',
    include: process.env.TEST_DATABASE === 'postgres' ? ['test/**/*.e2e-spec.ts'] : ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/**/*.e2e-spec.ts', 'test/**/*.spec.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
