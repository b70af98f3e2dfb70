import type { LogLevel } from '@nestjs/common';
import { PINO_LEVEL_VALUE } from './log-levels';

const LEVEL_NAMES = new Map(Object.entries(PINO_LEVEL_VALUE).map(([name, value]) => [value, name.toUpperCase() as Uppercase<LogLevel>]));
/** Shown in the line's head, or not at all in a terminal. */
const HEAD_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'context', 'msg', 'stack', 'err']);

/**
 * One JSON line as pino wrote it, as a line for a terminal:
 * `09:00:00.123     LOG [Http] GET /api/agents 200 status=200 durationMs=1.2 …`, a stack on the lines below.
 */
export function prettyLine(json: string): string {
  const record = JSON.parse(json) as Record<string, unknown>;
  const level = LEVEL_NAMES.get(record.level as number) ?? String(record.level);
  const context = typeof record.context === 'string' ? `[${record.context}] ` : '';
  const fields = Object.entries(record)
    .filter(([name]) => !HEAD_FIELDS.has(name))
    .map(([name, value]) => ` ${name}=${fieldText(value)}`)
    .join('');
  const err = record.err as { stack?: string; message?: string } | undefined;
  const stack = typeof record.stack === 'string' ? record.stack : (err?.stack ?? err?.message);
  return `${clockTime(record.time as number)} ${level.padStart(7)} ${context}${String(record.msg ?? '')}${fields}\n${stack ? `${stack}\n` : ''}`;
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function clockTime(epochMs: number): string {
  const at = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}
