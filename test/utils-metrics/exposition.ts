import { setTimeout as pause } from 'node:timers/promises';
import { bearer, http } from '../utils/fixtures';
import type { TestApp } from '../utils/test-app';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a Prometheus text exposition (comments and blank lines skipped). */
export function parseExposition(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const match = SAMPLE.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map(([, key, value]) => [key, value]));
    return [{ name: match[1], labels, value: Number(match[3]) }];
  });
}

/** What GET /metrics shows, as a client holding `token` sees it. */
export class Scrape {
  constructor(
    readonly text: string,
    readonly samples: Sample[],
  ) {}

  static async of(t: TestApp, token: string): Promise<Scrape> {
    const response = await http(t).get('/metrics').set(bearer(token)).expect(200);
    return new Scrape(response.text, parseExposition(response.text));
  }

  /** The value of the one sample with that name and (at least) these labels; undefined when there is none. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const matching = this.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
    if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
    return matching[0]?.value;
  }

  /** `value`, with a series never seen counting as 0 (a counter before its first increment). */
  count(name: string, labels: Record<string, string> = {}): number {
    return this.value(name, labels) ?? 0;
  }

  /** How far the series moved since an `earlier` scrape. */
  since(earlier: Scrape, name: string, labels: Record<string, string> = {}): number {
    return this.count(name, labels) - earlier.count(name, labels);
  }
}

/**
 * Scrapes until `holds` is true of what the app shows, within `ms`: for states the server updates
 * a moment after the client acted (a socket it has yet to see closed).
 */
export async function scrapeUntil(t: TestApp, token: string, holds: (scrape: Scrape) => boolean, what: string, ms = 5_000): Promise<Scrape> {
  const deadline = Date.now() + ms;
  for (;;) {
    const scrape = await Scrape.of(t, token);
    if (holds(scrape)) return scrape;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await pause(20);
  }
}
