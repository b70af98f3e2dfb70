import { findUnstorableText } from './storable-text';

describe('findUnstorableText', () => {
  it.each([
    ['plain text', { content: 'hello' }, null],
    ['a well-formed pair (an emoji)', { content: 'hi \ud83d\ude00' }, null],
    ['text in many scripts', { content: 'Grüße, 你好, مرحبا' }, null],
    ['numbers, booleans and null', { a: 1, b: true, c: null }, null],
    ['a NUL in content', { content: 'a\u0000b' }, { path: 'content', reason: 'NUL character' }],
    ['a NUL deep in metadata', { metadata: { tags: ['ok', 'x\u0000'] } }, { path: 'metadata.tags[1]', reason: 'NUL character' }],
    ['a lone high surrogate', { content: 'a\ud800b' }, { path: 'content', reason: 'lone surrogate' }],
    ['a lone low surrogate', { userId: '\udc00' }, { path: 'userId', reason: 'lone surrogate' }],
    ['a surrogate pair the wrong way round', { name: '\ude00\ud83d' }, { path: 'name', reason: 'lone surrogate' }],
    ['a NUL in a property name', { metadata: { 'a\u0000': 1 } }, { path: '(key) metadata.a\u0000', reason: 'NUL character' }],
    ['a bare string', 'x\u0000', { path: '(value)', reason: 'NUL character' }],
  ])('%s', (_case, value, expected) => {
    expect(findUnstorableText(value)).toEqual(expected);
  });

  it('walks a deep value without recursion', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 10_000; i++) deep = [deep];

    expect(findUnstorableText(deep)?.reason).toBe('NUL character');
  });
});
