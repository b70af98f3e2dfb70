export const COMMAND_PRIORITIES = ['low', 'normal', 'high'] as const;
export type CommandPriority = (typeof COMMAND_PRIORITIES)[number];

const RANK: Record<CommandPriority, number> = { high: 0, normal: 1, low: 2 };

export interface WaitingCommand {
  priority: CommandPriority;
  /** Order of arrival on the agent's queue. */
  sequence: number;
}

/** Which waiting command of an agent runs next: high before normal before low, first come first within a priority. */
export function nextCommandIndex(waiting: readonly WaitingCommand[]): number {
  let best = -1;
  for (const [index, command] of waiting.entries()) {
    const current = waiting[best];
    if (!current || RANK[command.priority] < RANK[current.priority] || (RANK[command.priority] === RANK[current.priority] && command.sequence < current.sequence)) {
      best = index;
    }
  }
  return best;
}
