import { MAX_REQUEST_ID_LENGTH, requestIdFrom } from './request-id';

const GENERATED = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it.each([
    ['a UUID', '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'],
    ['a trace-style id', 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8'],
    ['one character', 'x'],
    ['spaces inside', 'req 42 from gateway'],
    [`${MAX_REQUEST_ID_LENGTH} characters`, 'r'.repeat(MAX_REQUEST_ID_LENGTH)],
  ])('keeps %s', (_case, header) => {
    expect(requestIdFrom(header)).toBe(header);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['only spaces', '   '],
    ['a leading space', ' abc'],
    ['a trailing space', 'abc '],
    [`${MAX_REQUEST_ID_LENGTH + 1} characters`, 'r'.repeat(MAX_REQUEST_ID_LENGTH + 1)],
    ['a newline (log injection)', 'abc\n{"level":60}'],
    ['a tab', 'abc\tdef'],
    ['a DEL', 'abc\x7f'],
    ['non-ASCII', 'commande-é'],
    ['the header sent twice', ['one', 'two']],
  ])('replaces %s with a new UUID', (_case, header) => {
    expect(requestIdFrom(header)).toMatch(GENERATED);
  });

  it('generates a different id each time', () => {
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
