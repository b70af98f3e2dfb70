import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED, REDACTED_PATHS, redactQuery } from './log-redaction';

/** What pino writes for `fields` with the app's redaction. */
function loggedWith(fields: object): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(chunk.toString());
      done();
    },
  });
  pino({ redact: { paths: [...REDACTED_PATHS], censor: REDACTED } }, sink).info(fields, 'entry');
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('REDACTED_PATHS', () => {
  it.each([
    ['the Authorization header', { headers: { authorization: 'Bearer sb_key_secret' } }, { headers: { authorization: REDACTED } }],
    ['X-API-KEY', { req: { headers: { 'x-api-key': 'sb_key_secret', accept: '*/*' } } }, { req: { headers: { 'x-api-key': REDACTED, accept: '*/*' } } }],
    ['cookies', { headers: { cookie: 'sid=1' }, res: { headers: { 'set-cookie': 'sid=2' } } }, { headers: { cookie: REDACTED }, res: { headers: { 'set-cookie': REDACTED } } }],
    ['a token field', { token: 'sb_sess_secret', sessionId: 's1' }, { token: REDACTED, sessionId: 's1' }],
    ['an API key in a body', { body: { apiKey: 'sk-secret', model: 'gpt' } }, { body: { apiKey: REDACTED, model: 'gpt' } }],
    ['a key field', { key: 'sb_key_secret' }, { key: REDACTED }],
    ['a query token', { query: { token: 'sb_key_secret', limit: '5' } }, { query: { token: REDACTED, limit: '5' } }],
    [
      'the Socket.IO handshake',
      { handshake: { auth: { token: 'sb_key_secret' }, headers: { authorization: 'Bearer x' }, query: { token: 'sb_key_y' } } },
      { handshake: { auth: { token: REDACTED }, headers: { authorization: REDACTED }, query: { token: REDACTED } } },
    ],
  ])('censors %s', (_case, fields, expected) => {
    expect(loggedWith(fields)).toMatchObject(expected);
  });

  it('leaves fields that hold no secret as they are', () => {
    expect(loggedWith({ keyId: 'k1', tokenKind: 'session', route: '/api/auth/keys' })).toMatchObject({ keyId: 'k1', tokenKind: 'session', route: '/api/auth/keys' });
  });
});

describe('redactQuery', () => {
  it.each([
    ['/ws?token=sb_key_abc', `/ws?token=${REDACTED}`],
    ['/ws?room=1&token=sb_key_abc&x=2', `/ws?room=1&token=${REDACTED}&x=2`],
    ['/api/x?apiKey=a&api_key=b&KEY=c', `/api/x?apiKey=${REDACTED}&api_key=${REDACTED}&KEY=${REDACTED}`],
    ['/api/x?access_token=a#frag', `/api/x?access_token=${REDACTED}#frag`],
    ['/api/messaging/sessions?limit=5&tokenKind=x', '/api/messaging/sessions?limit=5&tokenKind=x'],
    ['/api/agents/token', '/api/agents/token'],
    ['/api/agents', '/api/agents'],
  ])('%s → %s', (url, expected) => {
    expect(redactQuery(url)).toBe(expected);
  });
});
