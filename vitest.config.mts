import { resolve } from 'node:path';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vitest/config';

const libs = ['common', 'persistence', 'agents', 'sessions', 'messaging', 'auth', 'realtime', 'testing'];

/**
 * Tests are compiled by TypeScript itself, file by file, with the decorator metadata Nest's DI needs
 * (esbuild and oxc cannot emit it) — the same compiler and options as `npm run build`.
 */
function typescriptWithDecoratorMetadata(): Plugin {
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    esModuleInterop: true,
    sourceMap: true,
    inlineSources: true,
  };
  return {
    name: 'typescript-decorator-metadata',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('.ts') || id.includes('/node_modules/')) return null;
      const output = ts.transpileModule(code, { compilerOptions, fileName: id });
      return { code: output.outputText, map: output.sourceMapText ? JSON.parse(output.sourceMapText) : null };
    },
  };
}

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
