import { ForbiddenError } from '@switchboard/common';
import { scopeRefusal, ScopeRequirement } from './scope-check';
import { Scope } from './scopes';

describe('scopeRefusal', () => {
  const sut = scopeRefusal;

  it.each<[string, Scope[], ScopeRequirement, string[] | null]>([
    ['every scope held', ['sessions:read', 'sessions:write'], { scopes: ['sessions:read', 'sessions:write'] }, null],
    ['one of all missing', ['sessions:read'], { scopes: ['sessions:read', 'sessions:write'] }, ['sessions:read', 'sessions:write']],
    ['admin stands for every scope', ['admin'], { scopes: ['agents:manage', 'sessions:manage'] }, null],
    ['nothing needed', [], { scopes: [] }, null],
    ['any of: the second held', ['messaging:read'], { scopes: ['sessions:read', 'messaging:read'], anyOf: true }, null],
    ['any of: none held', ['agents:read'], { scopes: ['sessions:read', 'messaging:read'], anyOf: true }, ['sessions:read', 'messaging:read']],
    ['any of: admin', ['admin'], { scopes: ['sessions:read'], anyOf: true }, null],
  ])('%s', (_, held, requirement, refusedWith) => {
    const refusal = sut(held, requirement);

    if (refusedWith === null) expect(refusal).toBeNull();
    else {
      expect(refusal).toBeInstanceOf(ForbiddenError);
      expect(refusal?.details).toEqual({ requiredScopes: refusedWith });
    }
  });

  it('names the alternatives with "or" and the required set with commas', () => {
    expect(sut([], { scopes: ['sessions:read', 'messaging:read'], anyOf: true })?.message).toBe('This needs the scope sessions:read or messaging:read');
    expect(sut([], { scopes: ['agents:read', 'sessions:manage'] })?.message).toBe('This needs the scope agents:read, sessions:manage');
  });
});
