import { requestRules } from './rate-rules';

const LIMITS = { sessionPerMinute: 60, userPerHour: 1000, agentPerHour: 5000 };

describe('requestRules', () => {
  it.each([
    [
      'a request on a session',
      { ownerKeyId: 'k1', userId: 'alice', agentIds: ['a1'], conversation: { kind: 'session' as const, id: 's1' } },
      [
        { scope: 'session', subject: 's1', limit: 60, windowMs: 60_000 },
        { scope: 'user', subject: 'key:k1:alice', limit: 1000, windowMs: 3_600_000 },
        { scope: 'agent', subject: 'key:k1:a1', limit: 5000, windowMs: 3_600_000 },
      ],
    ],
    [
      'a session being created: no session yet',
      { ownerKeyId: 'k2', userId: 'alice', agentIds: ['a1'] },
      [
        { scope: 'user', subject: 'key:k2:alice', limit: 1000, windowMs: 3_600_000 },
        { scope: 'agent', subject: 'key:k2:a1', limit: 5000, windowMs: 3_600_000 },
      ],
    ],
    [
      'a post to a group channel with two agents, by the env admin token',
      { ownerKeyId: null, userId: 'bob', agentIds: ['a1', 'a2'], conversation: { kind: 'channel' as const, id: 'c1' } },
      [
        { scope: 'channel', subject: 'c1', limit: 60, windowMs: 60_000 },
        { scope: 'user', subject: 'admin-token:bob', limit: 1000, windowMs: 3_600_000 },
        { scope: 'agent', subject: 'admin-token:a1', limit: 5000, windowMs: 3_600_000 },
        { scope: 'agent', subject: 'admin-token:a2', limit: 5000, windowMs: 3_600_000 },
      ],
    ],
  ])('charges %s to its key', (_case, request, expected) => {
    expect(requestRules(LIMITS, request)).toEqual(expected);
  });

  it('never lets two keys share a user or an agent counter', () => {
    const [first, second] = ['k1', 'k2'].map((ownerKeyId) => requestRules(LIMITS, { ownerKeyId, userId: 'alice', agentIds: ['a1'] }).map((rule) => rule.subject));

    expect(first.filter((subject) => second.includes(subject))).toEqual([]);
  });
});
