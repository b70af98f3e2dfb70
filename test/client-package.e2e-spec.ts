import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLIENT = resolve('libs/client');

/** Every module specifier a built file imports. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2]);
}

describe('@switchboard/client as a package', () => {
  let root: string;
  let outDir: string;

  beforeAll(async () => {
    // Inside the repository, so that socket.io-client resolves from its node_modules as it would in an app's.
    mkdirSync(resolve('node_modules/.cache'), { recursive: true });
    root = mkdtempSync(resolve('node_modules/.cache/switchboard-client-'));
    writeFileSync(join(root, 'package.json'), readFileSync(join(CLIENT, 'package.json')));
    outDir = join(root, 'dist');
    await run(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', join(CLIENT, 'tsconfig.lib.json'), '--outDir', outDir]);
  }, 120_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('builds to ESM with type declarations, for browsers (DOM lib) and Node alike', () => {
    const files = readdirSync(outDir, { recursive: true }).map(String);

    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'client.js', 'conversation.d.ts']));
    expect(JSON.parse(readFileSync(join(CLIENT, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } });
  });

  it('imports nothing but its own files and socket.io-client: no Nest, no Node built-ins', () => {
    const specifiers = readdirSync(outDir, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) => importsOf(readFileSync(join(outDir, file), 'utf8')));

    expect(specifiers.length).toBeGreaterThan(10);
    expect([...new Set(specifiers.filter((s) => !s.startsWith('./') && !s.startsWith('../')))]).toEqual(['socket.io-client']);
    expect(JSON.parse(readFileSync(join(CLIENT, 'package.json'), 'utf8')).dependencies).toEqual({ 'socket.io-client': '4.8.3' });
  });

  it('loads as an ES module on this Node', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(outDir, 'index.js'))}); console.log(Object.keys(m).sort().join(','))`], { cwd: resolve('.') });

    expect(stdout.trim().split(',')).toEqual(expect.arrayContaining(['SwitchboardClient', 'Conversation', 'RestClient', 'WsConnection', 'SOCKET_SERVER_EVENTS', 'REST_OPERATIONS']));
  });
});
