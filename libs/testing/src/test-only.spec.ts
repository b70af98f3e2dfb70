import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The kit needs dev dependencies (@nestjs/testing, socket.io-client): the production build and image must never reach it. */
describe('@switchboard/testing stays out of production', () => {
  it('is imported by no production source: tsc would follow the import into the build despite the exclude', () => {
    const production = [...sources(join(root, 'apps')), ...sources(join(root, 'libs'))].filter((path) => !path.startsWith(join(root, 'libs/testing')));
    const importers = production.filter((path) => /from '(@switchboard\/testing|[./]+\/testing\/src)/.test(readFileSync(path, 'utf8')));

    expect(production.length).toBeGreaterThan(50);
    expect(importers.map((path) => relative(root, path))).toEqual([]);
  });

  it('is excluded from tsconfig.build.json, which the Docker image is built with', () => {
    const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { exclude: string[] };
    expect(build.exclude).toContain('libs/testing');
  });
});
