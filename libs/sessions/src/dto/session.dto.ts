import { ApiProperty } from '@nestjs/swagger';
import { JsonObject, PageMetaDto, TimeoutConfig, toIso } from '@switchboard/common';
import { SessionEntity, SessionStatus } from '../session.entity';
import { isNearExpiration, isPastExpiry, timeRemaining } from '../timeout-policy';

export class ResolvedTimeoutConfigDto implements TimeoutConfig {
  @ApiProperty({ example: 30 })
  timeoutMinutes!: number;

  @ApiProperty({ example: true })
  autoRenew!: boolean;

  @ApiProperty({ example: 180 })
  maxDurationMinutes!: number;

  @ApiProperty({ example: 5 })
  warningThresholdMinutes!: number;
}

export class SessionSummaryDto {
  @ApiProperty({ format: 'uuid' })
  sessionId!: string;

  @ApiProperty({ format: 'uuid' })
  agentId!: string;

  @ApiProperty()
  userId!: string;

  @ApiProperty({ format: 'uuid', description: 'The session\'s dedicated channel' })
  channelId!: string;

  @ApiProperty({ enum: ['active', 'expired'] })
  status!: SessionStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastActivity!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ description: 'Milliseconds until expiry (0 once expired)' })
  timeRemaining!: number;

  @ApiProperty()
  isNearExpiration!: boolean;

  @ApiProperty()
  renewalCount!: number;

  static from(session: SessionEntity, now: number): SessionSummaryDto {
    return {
      sessionId: session.id,
      agentId: session.agentId,
      userId: session.userId,
      channelId: session.channelId,
      status: session.status === 'expired' || isPastExpiry(session.expiresAt, now) ? 'expired' : 'active',
      createdAt: toIso(session.createdAt),
      lastActivity: toIso(session.lastActivity),
      expiresAt: toIso(session.expiresAt),
      timeRemaining: timeRemaining(session.expiresAt, now),
      isNearExpiration: isNearExpiration(session.expiresAt, session.warningThresholdMinutes, now),
      renewalCount: session.renewalCount,
    };
  }
}

/** The session as get, renew and heartbeat show it. */
export class SessionDto extends SessionSummaryDto {
  @ApiProperty({ type: ResolvedTimeoutConfigDto })
  timeoutConfig!: ResolvedTimeoutConfigDto;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata!: JsonObject;

  static override from(session: SessionEntity, now: number): SessionDto {
    return { ...SessionSummaryDto.from(session, now), timeoutConfig: timeoutConfigOf(session), metadata: session.metadata };
  }
}

export class CreatedSessionDto extends SessionDto {
  @ApiProperty({ description: 'Bearer token valid for this session only; shown once' })
  token!: string;
}

export class SessionStatsDto {
  @ApiProperty()
  totalSessions!: number;

  @ApiProperty()
  activeSessions!: number;

  @ApiProperty()
  expiredSessions!: number;
}

export class SessionListDto extends PageMetaDto {
  @ApiProperty({ type: [SessionSummaryDto] })
  sessions!: SessionSummaryDto[];

  @ApiProperty({ type: SessionStatsDto, description: 'Counts over agentId/userId filters, whatever the status filter' })
  stats!: SessionStatsDto;
}

export class TimeoutUpdatedDto {
  @ApiProperty({ format: 'uuid' })
  sessionId!: string;

  @ApiProperty({ type: ResolvedTimeoutConfigDto })
  timeoutConfig!: ResolvedTimeoutConfigDto;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty()
  renewalCount!: number;
}

export function timeoutConfigOf(session: SessionEntity): TimeoutConfig {
  return {
    timeoutMinutes: session.timeoutMinutes,
    autoRenew: session.autoRenew,
    maxDurationMinutes: session.maxDurationMinutes,
    warningThresholdMinutes: session.warningThresholdMinutes,
  };
}
