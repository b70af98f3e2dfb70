/**
 * Cursor pagination over a channel's messages. Cursors are epoch-ms timestamps, exact because
 * a channel never holds two messages with the same `createdAt` (see MessagesRepository.append).
 */
export interface MessageWindow {
  limit: number;
  /** Only messages strictly older than this. */
  before?: number;
  /** Only messages strictly newer than this. */
  after?: number;
}

export type ScanOrder = 'newest-first' | 'oldest-first';

export interface MessagePage<T> {
  messages: T[];
  hasMore: boolean;
  cursors: { before: number | null; after: number | null };
}

/**
 * Paging forward from `after` alone must read the messages just after the cursor, so it scans
 * oldest first; every other window scans newest first, starting at `before` or the latest message.
 */
export function scanOrder(window: MessageWindow): ScanOrder {
  return window.after !== undefined && window.before === undefined ? 'oldest-first' : 'newest-first';
}

/** Turns up to `limit + 1` rows read in `scanOrder` into a newest-first page with its cursors. */
export function toMessagePage<T extends { createdAt: number }>(rows: T[], window: MessageWindow): MessagePage<T> {
  const hasMore = rows.length > window.limit;
  const kept = rows.slice(0, window.limit);
  const messages = scanOrder(window) === 'oldest-first' ? kept.reverse() : kept;
  return {
    messages,
    hasMore,
    cursors: {
      before: messages.length > 0 ? messages[messages.length - 1].createdAt : (window.before ?? null),
      after: messages.length > 0 ? messages[0].createdAt : (window.after ?? null),
    },
  };
}

/** Why a window is unusable, or undefined when it is fine. */
export function messageWindowProblem(window: MessageWindow): string | undefined {
  if (window.before !== undefined && window.after !== undefined && window.after >= window.before) {
    return 'after must be smaller than before';
  }
  return undefined;
}
