import { ActiveMarkup, findActiveMarkup } from './active-markup';

const sut = findActiveMarkup;

describe('findActiveMarkup', () => {
  it.each<[string, string, ActiveMarkup]>([
    ['a script tag', '<script>alert(document.cookie)</script>', 'script'],
    ['a script tag with attributes, mid-sentence', 'hi <SCRIPT src="https://evil.example/x.js"></SCRIPT>', 'script'],
    ['a script tag with a space after <', 'look < script>alert(1)</script>', 'script'],
    ['an onerror handler', '<img src=x onerror=alert(1)>', 'event-handler'],
    ['an onclick handler in quotes', '<a href="#" onclick="steal()">win</a>', 'event-handler'],
    ['a handler after a slash', '<svg/onload=alert(1)>', 'event-handler'],
    ['a javascript: link', '<a href="javascript:alert(1)">x</a>', 'script-url'],
    ['a javascript: Markdown link', '[click me](javascript:alert(1))', 'script-url'],
    ['a javascript: URL split by a tab', '<a href="java\tscript:alert(1)">x</a>', 'script-url'],
    ['a javascript: URL written with entities', '<a href="&#106;avascript&colon;alert(1)">x</a>', 'script-url'],
    ['a vbscript: URL', '<a href=vbscript:msgbox(1)>x</a>', 'script-url'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>', 'iframe'],
    ['an object', '<object data="x.swf"></object>', 'object'],
    ['an embed', '<embed src="x.swf">', 'object'],
    ['a script after a code span', 'see `x` then <script>alert(1)</script>', 'script'],
    ['a script after a closed fence', '```\ncode\n```\n<script>alert(1)</script>', 'script'],
    ['an entity-encoded script tag', '&lt;script&gt;alert(1)&lt;/script&gt;', 'script'],
  ])('refuses %s', (_case, text, expected) => {
    expect(sut(text)).toBe(expected);
  });

  it.each<[string, string]>([
    ['plain prose', 'Hello! How can I help you today?'],
    ['a comparison in plain code', 'if (a < b && b > c) { return a <= c; }'],
    ['a handler assigned in plain code', 'button.onclick = () => save(); el.onerror = report;'],
    ['a cookie read in plain code', 'const c = document.cookie; alert(c);'],
    ['the word javascript with a colon in prose', 'My favourite language is JavaScript: it runs everywhere.'],
    ['an https link', '[docs](https://example.com/guide) and <https://example.com>'],
    ['a script tag in a code span', 'Put `<script src="app.js"></script>` at the end of the body.'],
    ['a handler in a double-backtick code span', 'Use ``<img onerror="x">`` with care'],
    ['a fenced HTML block', 'Example:\n```html\n<script>alert(1)</script>\n<iframe src="x"></iframe>\n```\nThat is how XSS looks.'],
    ['a tilde fence', '~~~\n<a href="javascript:void(0)">x</a>\n~~~'],
    ['an indented code block', 'Example:\n\n    <object data="x"></object>\n    <img onerror=alert(1)>\n\nDone.'],
    ['harmless HTML', '<b>bold</b> and <em>emphasis</em> <a href="https://example.com" title="on=off">link</a>'],
    ['generics in plain TypeScript', 'const m = new Map<string, Array<number>>();'],
    ['a time with colons', 'Meet at 10:30, ok?'],
  ])('allows %s', (_case, text) => {
    expect(sut(text)).toBeNull();
  });
});
