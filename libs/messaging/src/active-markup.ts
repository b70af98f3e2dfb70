/**
 * Seed 004's "prohibited content: executable code, scripts": markup a browser would run if a chat
 * UI rendered the message as HTML. Talking about code stays possible: Markdown code blocks and code
 * spans are not looked at, and code outside them is only refused where it is live markup.
 */
export type ActiveMarkup = 'script' | 'event-handler' | 'script-url' | 'iframe' | 'object';

const RULES: ReadonlyArray<[ActiveMarkup, RegExp]> = [
  ['script', /<\s*script[\s/>]/i],
  ['iframe', /<\s*iframe[\s/>]/i],
  ['object', /<\s*(object|embed)[\s/>]/i],
  // An attribute `on…=` inside a tag: `<img src=x onerror=alert(1)>`.
  ['event-handler', /<[a-z][^>]*[\s/"']on[a-z]+\s*=/i],
  // Where a URL goes: an attribute value, a Markdown link target, a CSS url(…).
  ['script-url', /(?:=|\(|["'<]|^)\s*(?:java|vb)script\s*:/im],
];

const FENCED_BLOCK = /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[`~]*[ \t]*$|(?![\s\S]))/gm;
const INDENTED_BLOCK = /(?:^|\n\n)(?:(?: {4}|\t)[^\n]*(?:\n|$))+/g;
const CODE_SPAN = /(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g;
const NUMERIC_ENTITY = /&#(x[0-9a-f]+|\d+);?/gi;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', colon: ':', tab: '\t', newline: '\n', quot: '"', apos: "'", lpar: '(', equals: '=' };
const NAMED_ENTITY = /&(lt|gt|colon|tab|newline|quot|apos|lpar|equals);/gi;

/** What active markup the text carries outside Markdown code, or null when it carries none. */
export function findActiveMarkup(text: string): ActiveMarkup | null {
  // Nothing to look at without a tag or a scheme separator: the common case stays a single scan.
  if (!/[<:&]/.test(text)) return null;
  const prose = decodeEntities(withoutCode(text));
  // Browsers ignore control characters and line breaks inside `java\nscript:`.
  const compact = prose.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/(?<=[a-z])[\t\r\n]+(?=[a-z:])/gi, '');
  for (const [kind, pattern] of RULES) if (pattern.test(compact)) return kind;
  return null;
}

function withoutCode(text: string): string {
  return text.replace(FENCED_BLOCK, '\n').replace(INDENTED_BLOCK, '\n\n').replace(CODE_SPAN, ' ');
}

function decodeEntities(text: string): string {
  return text
    .replace(NUMERIC_ENTITY, (_, code: string) => {
      const point = code[0].toLowerCase() === 'x' ? parseInt(code.slice(1), 16) : parseInt(code, 10);
      return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : '';
    })
    .replace(NAMED_ENTITY, (_, name: string) => NAMED_ENTITIES[name.toLowerCase()]);
}
