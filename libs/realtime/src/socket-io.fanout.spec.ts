import { broadcastView, inRoom, roomFields } from './socket-io.fanout';

describe('room fields in event payloads', () => {
  it('inRoom gives the room fields, then the event fields, with sessionId only where the room is a session', () => {
    const session = roomFields('channel-1', 'session-1');
    const channel = roomFields('channel-2', null);

    expect(Object.entries(inRoom(session, { action: 'disable_input', agentId: 'agent-1' }))).toEqual([
      ['roomId', 'session-1'],
      ['channelId', 'channel-1'],
      ['sessionId', 'session-1'],
      ['action', 'disable_input'],
      ['agentId', 'agent-1'],
    ]);
    expect(inRoom(channel, { agentId: 'agent-1' })).toStrictEqual({ roomId: 'channel-2', channelId: 'channel-2', agentId: 'agent-1' });
  });

  it('inRoom leaves the room it was given as it was, so one room serves every payload of an event', () => {
    const room = roomFields('channel-1', 'session-1');
    inRoom(room, { roomId: 'overridden', extra: true });

    expect(room).toStrictEqual({ roomId: 'session-1', channelId: 'channel-1', sessionId: 'session-1' });
  });

  it("a broadcast view of a direct channel is known by its agent's id, and carries no sessionId", () => {
    const message = { id: 'm-1', channelId: 'direct-1', clientMessageId: null, authorId: 'user-1', content: 'hi', isAgent: false, createdAt: 0, attachments: [], metadata: {} };
    const view = broadcastView({ message, senderName: 'User', source: 'api', sessionId: null } as never, 'server-1', 'agent-1');

    expect(view).toMatchObject({ roomId: 'agent-1', channelId: 'direct-1', id: 'm-1', text: 'hi', createdAt: '1970-01-01T00:00:00.000Z' });
    expect('sessionId' in view).toBe(false);
  });
});
