import { CommandPriority, nextCommandIndex } from './command-priority';

const sut = nextCommandIndex;
const queue = (...priorities: CommandPriority[]) => priorities.map((priority, sequence) => ({ priority, sequence }));

describe('nextCommandIndex', () => {
  it.each<[string, ReturnType<typeof queue>, number]>([
    ['nothing waiting', queue(), -1],
    ['one command', queue('low'), 0],
    ['high before normal before low', queue('low', 'normal', 'high'), 2],
    ['normal before low', queue('low', 'normal'), 1],
    ['first come first within a priority', queue('normal', 'normal', 'normal'), 0],
    ['the earliest high among several', queue('low', 'high', 'normal', 'high'), 1],
    ['low only when nothing else waits', queue('low', 'low'), 0],
  ])('%s', (_case, waiting, expected) => {
    expect(sut(waiting)).toBe(expected);
  });

  it('takes arrival order from sequence, not from position', () => {
    expect(sut([{ priority: 'normal', sequence: 7 }, { priority: 'normal', sequence: 3 }])).toBe(1);
  });
});
