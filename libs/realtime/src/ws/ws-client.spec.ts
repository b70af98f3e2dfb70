import type { WebSocket } from 'ws';
import { Metrics } from '@switchboard/common';
import type { SocketIdentity } from '../socket-identity';
import { ConversationFollowers, WsClient } from './ws-client';

describe('WsClient and ConversationFollowers', () => {
  let followers: ConversationFollowers;
  const client = () => new WsClient({} as WebSocket, {} as SocketIdentity, followers, new Metrics());

  beforeEach(() => {
    followers = new ConversationFollowers();
  });

  it('lists exactly the clients that follow a conversation', () => {
    const [a, b] = [client(), client()];

    a.follow('channel-1');
    b.follow('channel-1');
    b.follow('channel-2');

    expect([...followers.of('channel-1')]).toEqual([a, b]);
    expect([...followers.of('channel-2')]).toEqual([b]);
    expect([...followers.of('channel-3')]).toEqual([]);
  });

  it('forgets a client that leaves, and the conversations nobody follows any more', () => {
    const [a, b] = [client(), client()];
    a.follow('channel-1');
    a.follow('channel-2');
    b.follow('channel-1');

    a.leave();

    expect([...followers.of('channel-1')]).toEqual([b]);
    expect(followers.followed).toBe(1);
  });

  it('ignores a follow that arrives after the client left (a request still in flight)', () => {
    const a = client();
    a.leave();

    a.follow('channel-1');

    expect(followers.followed).toBe(0);
  });
});
