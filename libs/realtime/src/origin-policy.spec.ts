import { originAllowed } from './origin-policy';

const sut = originAllowed;

describe('originAllowed', () => {
  it.each<[string, string | undefined, string[], boolean]>([
    ['no list: any origin', 'https://evil.example', [], true],
    ['no list, no origin', undefined, [], true],
    ['a listed origin', 'https://app.example', ['https://app.example', 'https://admin.example'], true],
    ['the second listed origin', 'https://admin.example', ['https://app.example', 'https://admin.example'], true],
    ['an unlisted origin', 'https://evil.example', ['https://app.example'], false],
    ['a listed host on another scheme', 'http://app.example', ['https://app.example'], false],
    ['a listed host on another port', 'https://app.example:8443', ['https://app.example'], false],
    ['a subdomain of a listed origin', 'https://x.app.example', ['https://app.example'], false],
    ['the opaque origin "null"', 'null', ['https://app.example'], false],
    ['no origin (a server or a CLI)', undefined, ['https://app.example'], true],
  ])('%s → %s', (_case, origin, allowed, expected) => {
    expect(sut(origin, allowed)).toBe(expected);
  });
});
