// Time-ordered ids: the `uuid` package's v7() against Switchboard's timeOrderedUuid (the compiled
// one, `npm run build`, or BENCH_DIST), with crypto.randomUUID (v4, Node's own) as the same-run
// reference. Each generator runs in turns, interleaved, for ROUNDS rounds; the figure is the median
// round. Issue 16 takes `uuid` unless this shows it slower. `node bench/uuid-v7.mjs` runs it alone.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { v7 } from 'uuid';
import { runWhenMain } from './lib.mjs';

export const name = 'uuid-v7';
export const description = "ids/s of uuid's v7() and of timeOrderedUuid(), against crypto.randomUUID() in the same run";

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = process.env.BENCH_DIST ?? join(ROOT, 'dist');
const ROUNDS = 7;
const ROUND_MS = 300;
const BATCH = 10_000;

export async function run() {
  const { timeOrderedUuid } = createRequire(import.meta.url)(join(DIST, 'libs/common/src/time-ordered-uuid.js'));
  const generators = [
    { label: 'crypto.randomUUID (v4, reference)', make: () => randomUUID() },
    { label: `uuid ${uuidVersion()} v7()`, make: () => v7() },
    { label: 'timeOrderedUuid (ours)', make: () => timeOrderedUuid() },
  ];
  for (const generator of generators) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(generator.make())) throw new Error(`${generator.label} made no UUID`);
    measure(generator.make, ROUND_MS); // warm-up
  }
  const rates = generators.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    generators.forEach((generator, index) => rates[index].push(measure(generator.make, ROUND_MS)));
  }
  const medians = rates.map(median);
  const reference = medians[0];
  generators.forEach((generator, index) => {
    console.log(`  ${generator.label.padEnd(36)} ${(medians[index] / 1e6).toFixed(2).padStart(6)} M ids/s  ${(medians[index] / reference).toFixed(2)}x of randomUUID`);
  });
  const [, uuidRate, oursRate] = medians;
  console.log(`  → ${uuidRate >= oursRate ? 'uuid v7() is not slower: use it' : `keep timeOrderedUuid: uuid v7() runs at ${(uuidRate / oursRate).toFixed(2)}x of it`}`);
}

/** Ids per second over about `ms` milliseconds; the ids' characters are summed so none is optimised away. */
function measure(make, ms) {
  let made = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < BATCH; i++) sink += make().charCodeAt(35);
    made += BATCH;
    elapsed = performance.now() - start;
  }
  if (sink === -1) console.log(sink);
  return (made / elapsed) * 1000;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function uuidVersion() {
  return createRequire(import.meta.url)('uuid/package.json').version;
}

runWhenMain(import.meta.url, run);
