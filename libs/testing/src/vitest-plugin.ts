import ts from 'typescript';
import type { Plugin } from 'vitest/config';

/**
 * Tests are compiled by TypeScript itself, file by file, with the decorator metadata Nest's DI needs
 * (esbuild and oxc cannot emit it) — the same compiler and options as `npm run build`. A suite's own
 * `vitest.config.mts` needs it (with `oxc: false`) for Nest to inject anything it builds.
 */
export function typescriptWithDecoratorMetadata(): Plugin {
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
    transform(code: string, id: string) {
      if (!id.endsWith('.ts') || id.includes('/node_modules/')) return null;
      const output = ts.transpileModule(code, { compilerOptions, fileName: id });
      return { code: output.outputText, map: output.sourceMapText ? JSON.parse(output.sourceMapText) : null };
    },
  };
}
