import type { LogLevel } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../events/domain-events';
import { EventBus } from '../events/event-bus';
import { AppLogger } from './app-logger';
import { LogSink } from './log-sink';

function loggerAt(logLevel: LogLevel) {
  const lines: string[] = [];
  const published: Array<DomainEvents['log.entry']> = [];
  const config = Object.assign(new AppConfig(), { logLevel, logFormat: 'json' });
  const bus = new EventBus();
  bus.on('log.entry', (entry) => published.push(entry));
  const sut = new AppLogger(new LogSink(config, { write: (line: string) => lines.push(line) }), bus, config);
  return { sut, published, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('AppLogger', () => {
  it('writes a Nest entry as one pino line with its context, and publishes it for admin sockets', () => {
    const { sut, records, published } = loggerAt('log');

    sut.warn('Agent 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b failed to answer', 'TurnRunner');

    expect(records()).toEqual([expect.objectContaining({ level: 40, context: 'TurnRunner', msg: 'Agent 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b failed to answer' })]);
    expect(published).toEqual([expect.objectContaining({ level: 'warn', context: 'TurnRunner', agentId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' })]);
  });

  it('keeps an error\'s stack in its own line', () => {
    const { sut, records } = loggerAt('log');

    sut.error('Request r-1 failed', 'Error: boom\n    at handler (a.ts:1:2)', 'Http');

    expect(records()).toEqual([expect.objectContaining({ level: 50, context: 'Http', msg: 'Request r-1 failed', stack: 'Error: boom\n    at handler (a.ts:1:2)' })]);
  });

  it('redacts credentials in an object it is given', () => {
    const { sut, records } = loggerAt('log');

    sut.log({ headers: { authorization: 'Bearer sb_key_secret', accept: '*/*' }, token: 'sb_sess_secret' }, 'Debugging');

    expect(JSON.stringify(records())).not.toContain('secret');
    expect(records()[0]).toMatchObject({ headers: { authorization: '[Redacted]', accept: '*/*' }, token: '[Redacted]' });
  });

  it('writes nothing below LOG_LEVEL', () => {
    const { sut, records, published } = loggerAt('warn');

    sut.log('Listening');
    sut.debug('details');

    expect([records(), published]).toEqual([[], []]);
  });
});
