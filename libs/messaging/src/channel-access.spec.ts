import { Principal, Scope } from '@switchboard/auth';
import { canSeeChannel, maySpeakAs } from './channel-access';

const key = (keyId: string | null, ...scopes: Scope[]): Principal => ({ kind: 'api-key', keyId, name: 'k', scopes });
const sessionToken: Principal = { kind: 'session', sessionId: 's1', issuedBy: 'owner', scopes: ['sessions:read', 'sessions:write'] };
const group = { type: 'group' as const, createdBy: 'owner' };
const sessionChannel = { type: 'session' as const, createdBy: 'owner' };
const participants = [
  { entityId: 'member', kind: 'user' as const },
  { entityId: 'agent-1', kind: 'agent' as const },
];

describe('canSeeChannel', () => {
  it.each([
    ['the key that created a group channel', key('owner', 'messaging:read'), group, true],
    ['a key that is a participant', key('member', 'messaging:read'), group, true],
    ['a key whose id is only an agent participant\'s', key('agent-1', 'messaging:read'), group, false],
    ['another key with messaging:read and messaging:write', key('stranger', 'messaging:read', 'messaging:write'), group, false],
    ['a key with messaging:manage', key('stranger', 'messaging:manage'), group, true],
    ['admin', key('stranger', 'admin'), group, true],
    ['the env admin token', key(null, 'admin'), group, true],
    ['a session token, on a group channel', sessionToken, group, false],
    ['a session token, on a session channel', sessionToken, sessionChannel, false],
    ['the session\'s key, on its session\'s channel', key('owner', 'sessions:read'), sessionChannel, true],
    ['a participant key, on a session channel', key('member', 'messaging:read'), sessionChannel, false],
    ['messaging:manage, on a session channel', key('stranger', 'messaging:manage'), sessionChannel, false],
    ['sessions:manage, on a session channel', key('stranger', 'sessions:manage'), sessionChannel, true],
  ])('%s: %s', (_case, actor, channel, expected) => {
    expect(canSeeChannel(actor, channel, participants)).toBe(expected);
  });

  it('never lets an ownerless channel (from before owners) be seen by a plain key', () => {
    expect(canSeeChannel(key('owner', 'messaging:read'), { type: 'group', createdBy: null }, [])).toBe(false);
  });
});

describe('maySpeakAs', () => {
  it.each([
    ['itself', key('k1', 'messaging:write'), 'k1', true],
    ['another key\'s entity', key('k1', 'messaging:write'), 'k2', false],
    ['an agent', key('k1', 'messaging:write'), 'agent-1', false],
    ['anyone, as admin', key('k1', 'admin'), 'user-456', true],
  ])('a key speaking as %s: %s', (_case, actor, entityId, expected) => {
    expect(maySpeakAs(actor, entityId, 'k1')).toBe(expected);
  });
});
