import { Server } from 'socket.io';
import { RoomAudience } from './room-audience';

const WINDOW_MS = 120_000;

describe('RoomAudience', () => {
  let server: Server;
  let now: number;
  let audience: RoomAudience;
  const adapter = () => server.of('/').adapter;

  beforeEach(() => {
    server = new Server();
    now = 1_000_000;
    audience = new RoomAudience(adapter(), WINDOW_MS, () => now);
  });

  afterEach(() => audience.close());

  it('reaches a room while a socket is in it, and no room nobody ever joined', () => {
    adapter().addAll('socket-1', new Set(['channel-a']));

    expect(audience.mayReach('channel-a')).toBe(true);
    expect(audience.mayReach('channel-b')).toBe(false);
  });

  it.each([
    ['just after the last socket left', 0, true],
    ['at the end of the recovery window', WINDOW_MS, true],
    ['once the window has passed', WINDOW_MS + 1, false],
  ])('an emptied room, %s: reachable %s', (_when, elapsedMs, reachable) => {
    adapter().addAll('socket-1', new Set(['channel-a']));
    adapter().delAll('socket-1');
    now += elapsedMs;

    expect(audience.mayReach('channel-a')).toBe(reachable);
  });

  it('stops following the adapter once closed', () => {
    audience.close();
    adapter().addAll('socket-1', new Set(['channel-a']));
    adapter().delAll('socket-1');

    expect(audience.mayReach('channel-a')).toBe(false);
  });
});
