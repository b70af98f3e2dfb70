// Bundles the console (static files, no server rendering) into dist/console with esbuild.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const CONSOLE_DIST = resolve(here, '../../dist/console');

export async function buildConsole(outdir = CONSOLE_DIST) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [resolve(here, 'src/console.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: true,
    sourcemap: true,
    outfile: resolve(outdir, 'console.js'),
    alias: { '@switchboard/client': resolve(here, '../../libs/client/src/index.ts') },
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'console.css']) copyFileSync(resolve(here, 'src', file), resolve(outdir, file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildConsole();
