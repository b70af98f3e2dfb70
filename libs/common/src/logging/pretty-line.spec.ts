import { prettyLine } from './pretty-line';

const AT = new Date(2026, 0, 1, 9, 5, 7, 42).getTime();
const line = (record: object) => prettyLine(JSON.stringify({ level: 30, time: AT, pid: 7, hostname: 'h', ...record }));

describe('prettyLine', () => {
  it.each([
    ['a Nest entry', { context: 'Switchboard', msg: 'Listening on http://localhost:3000' }, '09:05:07.042     LOG [Switchboard] Listening on http://localhost:3000\n'],
    ['an entry without context', { level: 40, msg: 'careful' }, '09:05:07.042    WARN careful\n'],
    [
      'a request, its fields after the message',
      { context: 'Http', msg: 'GET /api/agents 200', requestId: 'r-1', route: '/api/agents', status: 200, durationMs: 1.25 },
      '09:05:07.042     LOG [Http] GET /api/agents 200 requestId=r-1 route=/api/agents status=200 durationMs=1.25\n',
    ],
    ['a field with spaces, quoted', { msg: 'x', requestId: 'from gateway' }, '09:05:07.042     LOG x requestId="from gateway"\n'],
    ['an object field, as JSON', { msg: 'x', details: { a: 1 } }, '09:05:07.042     LOG x details={"a":1}\n'],
    ['an error with its stack below', { level: 50, msg: 'boom', stack: 'Error: boom\n    at f (a.ts:1)' }, '09:05:07.042   ERROR boom\nError: boom\n    at f (a.ts:1)\n'],
    ['a serialized err', { level: 50, msg: 'boom', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at g' } }, '09:05:07.042   ERROR boom\nError: boom\n    at g\n'],
    ['a verbose entry', { level: 10, msg: 'Mapped {/livez, GET} route' }, '09:05:07.042 VERBOSE Mapped {/livez, GET} route\n'],
  ])('%s', (_case, record, expected) => {
    expect(line(record)).toBe(expected);
  });
});
