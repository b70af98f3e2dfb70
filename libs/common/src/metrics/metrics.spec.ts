import { Logger } from '@nestjs/common';
import { Metrics } from './metrics';

const sample = (text: string, line: string) => text.split('\n').find((l) => l.startsWith(line));

describe('Metrics', () => {
  let sut: Metrics;

  beforeEach(() => {
    sut = new Metrics();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("keeps each instance's counts its own, and both show the process's metrics", async () => {
    const other = new Metrics();

    sut.messageStored(false);
    sut.messageStored(true);
    const [own, others] = [await sut.scrape(), await other.scrape()];

    expect(sample(own, 'switchboard_messages_stored_total{author="user"}')).toBe('switchboard_messages_stored_total{author="user"} 1');
    expect(sample(others, 'switchboard_messages_stored_total{')).toBeUndefined();
    expect(sample(own, 'process_cpu_user_seconds_total')).toBeDefined();
    expect(sample(others, 'process_cpu_user_seconds_total')).toBeDefined();
  });

  it('times an agent answer once, by its first outcome', async () => {
    const end = sut.agentTurnStarted();

    end('replied');
    end('failed');
    const text = await sut.scrape();

    expect(sample(text, 'switchboard_agent_turn_duration_seconds_count{outcome="replied"}')).toBe('switchboard_agent_turn_duration_seconds_count{outcome="replied"} 1');
    expect(sample(text, 'switchboard_agent_turn_duration_seconds_count{outcome="failed"}')).toBeUndefined();
  });

  it('still answers a scrape when the store cannot count the turns, without them', async () => {
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    sut.countAgentTurnsWith(() => Promise.reject(new Error('database down')));
    sut.messageStored(false);

    const text = await sut.scrape();

    expect(sample(text, 'switchboard_agent_turns{')).toBeUndefined();
    expect(sample(text, 'switchboard_messages_stored_total{author="user"}')).toBeDefined();
  });
});
