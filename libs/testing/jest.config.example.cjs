// Jest for a suite built on @switchboard/testing: tried with jest 30.5.2 + ts-jest 29.4.15 on Node 20.20.
// NestJS 12 ships ES modules only, so Jest must run in its native-ESM mode:
//   NODE_OPTIONS=--experimental-vm-modules npx jest -c jest.config.cjs
// isolatedModules stays false: decorator metadata names constructor types such as Nest's `HttpServer`
// interface, and only a full type-aware compile drops those imports (ES module linking refuses them).
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.e2e-spec.ts'],
  testTimeout: 30_000,
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        diagnostics: false,
        tsconfig: {
          module: 'ESNext',
          moduleResolution: 'bundler',
          target: 'ES2022',
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          useDefineForClassFields: false,
          esModuleInterop: true,
          isolatedModules: false,
          skipLibCheck: true,
        },
      },
    ],
  },
  moduleNameMapper: {
    '^@switchboard/(.*)$': '<rootDir>/libs/$1/src',
    // @switchboard/client is written as ES modules: its imports name `./x.js` for the source `./x.ts`.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
