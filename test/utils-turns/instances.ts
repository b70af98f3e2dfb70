import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADMIN_TOKEN, RATE_LIMITS_OFF } from '../utils/test-app';
import { within } from '../utils-realtime/deadline';

/** Vitest runs from the repository's root. */
const ROOT = resolve(process.cwd());

/** The app built as `npm start` builds it, into a folder of this suite's own (suites run side by side). */
export function buildApp(): { main: string; remove(): void } {
  const outDir = join(ROOT, '.test-build', `${process.pid}-${randomBytes(4).toString('hex')}`);
  const tsc = (bin: string, args: string[]) => execFileSync(join(ROOT, 'node_modules/.bin', bin), ['-p', 'tsconfig.build.json', '--outDir', outDir, ...args], { cwd: ROOT });
  tsc('tsc', ['--tsBuildInfoFile', join(outDir, '.tsbuildinfo')]);
  tsc('tsc-alias', []);
  return { main: join(outDir, 'apps/api/src/main.js'), remove: () => rmSync(outDir, { recursive: true, force: true }) };
}

export interface Instance {
  url: string;
  process: ChildProcess;
  /** Everything the process printed, for a failing test's message. */
  output: () => string;
  /** Settles when the process has exited, with the time it happened. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** One instance of the built app as its own process, like a deployment runs it, listening on a free loopback port. */
export async function startInstance(main: string, env: NodeJS.ProcessEnv): Promise<Instance> {
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'log',
      NO_COLOR: '1',
      SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
      SESSION_SWEEP_INTERVAL_SECONDS: '0',
      ...RATE_LIMITS_OFF,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const listening = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      // eslint-disable-next-line no-control-regex
      const match = /Listening on (http:\/\/\S+)/.exec(output.replace(/\u001b\[[0-9;]*m/g, ''));
      if (match) resolve(match[1].replace('localhost', '127.0.0.1'));
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    void exited.then(() => reject(new Error(`The instance exited before listening:\n${output}`)));
  });
  const url = await within(listening, 30_000, 'an instance to listen');
  return { url, process: child, output: () => output, exited };
}

/** Ends whatever is still running; a suite's afterAll. */
export async function stopAll(instances: Instance[]): Promise<void> {
  await Promise.all(
    instances.map(async (instance) => {
      if (instance.process.exitCode !== null || instance.process.signalCode !== null) return;
      instance.process.kill('SIGKILL');
      await instance.exited;
    }),
  );
}
