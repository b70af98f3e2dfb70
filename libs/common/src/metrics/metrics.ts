import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** The route label of a request no route matched: one series for all of them, whatever URLs scanners try. */
export const UNMATCHED_ROUTE = 'unmatched';

export type SocketTransport = 'socket.io' | 'ws';
export type Transport = 'http' | SocketTransport;
export type AgentTurnOutcome = 'replied' | 'failed' | 'handed_back';

export interface AgentTurnCounts {
  /** Turns nobody holds: queued behind another turn of their channel, handed back, or past their lease. */
  waiting: number;
  /** Turns an instance holds under a live lease. */
  running: number;
}

export interface DatabasePoolUse {
  open: number;
  idle: number;
  /** Queries waiting for a connection to come free. */
  waiting: number;
  max: number;
}

export interface SweepRows {
  warned: number;
  expired: number;
  purged: number;
  failed: number;
}

const SECONDS = {
  http: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  agentTurn: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  sweep: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
};

let processMetrics: Registry | undefined;

/**
 * Node's own metrics (CPU, memory, event loop, GC), registered once per process: every app of a
 * process (the suites, the bench) reports the same process, and each collectDefaultMetrics call
 * starts an event-loop monitor and a GC observer that nothing ever stops.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/**
 * The instance's Prometheus metrics, in a registry of this app's own (prom-client's global one would
 * be shared by every app of a process). Hot paths only count and observe; what is a state (sockets,
 * queued turns, the database pool) is read when Prometheus scrapes, through the readers the domain
 * that owns it registers here.
 */
@Injectable()
export class Metrics {
  private readonly logger = new Logger(Metrics.name);
  private readonly registry = new Registry();
  private readonly httpRequests: Histogram<'method' | 'route' | 'status_code'>;
  private readonly messages: Counter<'author'>;
  private readonly agentTurns: Histogram<'outcome'>;
  private readonly refusals: Counter<'rule' | 'transport'>;
  private readonly sweeps: Histogram;
  private readonly sweptRows: Counter<'outcome'>;
  private readonly socketReaders = new Map<SocketTransport, () => number>();
  private turnReader: (() => Promise<AgentTurnCounts>) | undefined;

  constructor() {
    const registers = [this.registry];
    this.httpRequests = new Histogram({
      name: 'switchboard_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern (unmatched for no route) and status code, from routing to the last byte sent',
      labelNames: ['method', 'route', 'status_code'],
      buckets: SECONDS.http,
      registers,
    });
    this.messages = new Counter({ name: 'switchboard_messages_stored_total', help: 'Messages stored, by author (user or agent), on every transport', labelNames: ['author'], registers });
    this.agentTurns = new Histogram({
      name: 'switchboard_agent_turn_duration_seconds',
      help: "One agent's answer to a message, until its reply is stored (replied), it failed (failed) or a drain handed it back (handed_back)",
      labelNames: ['outcome'],
      buckets: SECONDS.agentTurn,
      registers,
    });
    this.refusals = new Counter({
      name: 'switchboard_rate_limit_refusals_total',
      help: 'Requests, events and frames refused with 429 / RATE_LIMIT_EXCEEDED, by the rule that was full and the transport',
      labelNames: ['rule', 'transport'],
      registers,
    });
    this.sweeps = new Histogram({ name: 'switchboard_session_sweep_duration_seconds', help: 'Session expiry sweeps (warn, expire, purge)', buckets: SECONDS.sweep, registers });
    this.sweptRows = new Counter({ name: 'switchboard_session_sweep_rows_total', help: 'Sessions the expiry sweep warned, expired, purged, or failed to act on', labelNames: ['outcome'], registers });

    const sockets = this.socketReaders;
    new Gauge({
      name: 'switchboard_connected_sockets',
      help: 'Sockets connected to this instance and authenticated, by transport',
      labelNames: ['transport'],
      registers,
      collect() {
        for (const [transport, read] of sockets) this.set({ transport }, read());
      },
    });
    const turns = () => this.turnReader?.();
    const logger = this.logger;
    new Gauge({
      name: 'switchboard_agent_turns',
      help: 'Agent turns in the store, on every instance alike (aggregate with max, not sum): waiting or running',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        try {
          const counts = await turns();
          if (counts) for (const state of ['waiting', 'running'] as const) this.set({ state }, counts[state]);
        } catch (error) {
          logger.warn(`Agent turns not counted for this scrape: ${(error as Error).message}`);
        }
      },
    });
  }

  /** The exposition Prometheus reads: this app's metrics, then the process's. */
  async scrape(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processRegistry().metrics()]);
    return `${own}\n${process}`;
  }

  httpRequestFinished(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpRequests.observe({ method, route, status_code: statusCode }, seconds);
  }

  messageStored(isAgent: boolean): void {
    this.messages.inc({ author: isAgent ? 'agent' : 'user' });
  }

  /** Starts timing one agent's answer; call the result when it is over (calls after the first are ignored). */
  agentTurnStarted(): (outcome: AgentTurnOutcome) => void {
    const end = this.agentTurns.startTimer();
    let ended = false;
    return (outcome) => {
      if (ended) return;
      ended = true;
      end({ outcome });
    };
  }

  /** `rule` is the refusal's `scope`: session, channel, user, agent, connection (/ws frames) or auth-failures. */
  rateLimitRefused(transport: Transport, rule: unknown): void {
    this.refusals.inc({ rule: typeof rule === 'string' ? rule : 'unknown', transport });
  }

  /** Starts timing an expiry sweep; call the result with what it did. */
  sweepStarted(): (rows: SweepRows) => void {
    const end = this.sweeps.startTimer();
    return (rows) => {
      end();
      for (const outcome of ['warned', 'expired', 'purged', 'failed'] as const) this.sweptRows.inc({ outcome }, rows[outcome]);
    };
  }

  /** How many sockets of `transport` are connected now, read at each scrape. */
  countSocketsWith(transport: SocketTransport, read: () => number): void {
    this.socketReaders.set(transport, read);
  }

  /** How many agent turns wait and run, read from the store at each scrape. */
  countAgentTurnsWith(read: () => Promise<AgentTurnCounts>): void {
    this.turnReader = read;
  }

  /** Reports the database pool, read at each scrape; once per app, and only where there is a pool. */
  observeDatabasePool(read: () => DatabasePoolUse): void {
    const gauge = (name: string, help: string, value: (use: DatabasePoolUse) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(value(read()));
        },
      });
    gauge('switchboard_db_pool_connections', 'PostgreSQL connections the pool holds open', (use) => use.open);
    gauge('switchboard_db_pool_idle_connections', 'PostgreSQL connections open and idle', (use) => use.idle);
    gauge('switchboard_db_pool_waiting_queries', 'Queries waiting for a PostgreSQL connection to come free', (use) => use.waiting);
    gauge('switchboard_db_pool_max_connections', 'The most connections the PostgreSQL pool opens', (use) => use.max);
  }
}
