import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { InvalidTimeoutConfigError } from '../errors/error-classes';
import { TIMEOUT_BOUNDS, TimeoutConfig } from '../config/timeout-config';
import { ReportAs } from '../validation/report-as.decorator';

const { timeoutMinutes, maxDurationMinutes, warningThresholdMinutes } = TIMEOUT_BOUNDS;

/** Any subset of a timeout config: a tier of the global → agent → session hierarchy. */
export class TimeoutConfigDto implements Partial<TimeoutConfig> {
  @ApiPropertyOptional({ minimum: timeoutMinutes.min, maximum: timeoutMinutes.max, example: 30, description: 'Inactivity timeout' })
  @ReportAs(InvalidTimeoutConfigError)
  @IsOptional()
  @IsInt()
  @Min(timeoutMinutes.min)
  @Max(timeoutMinutes.max)
  timeoutMinutes?: number;

  @ApiPropertyOptional({ example: true, description: 'Slide expiresAt forward on every message and heartbeat' })
  @ReportAs(InvalidTimeoutConfigError)
  @IsOptional()
  @IsBoolean()
  autoRenew?: boolean;

  @ApiPropertyOptional({ minimum: maxDurationMinutes.min, maximum: maxDurationMinutes.max, example: 180, description: 'Hard cap on the session lifetime, counted from creation; never below timeoutMinutes' })
  @ReportAs(InvalidTimeoutConfigError)
  @IsOptional()
  @IsInt()
  @Min(maxDurationMinutes.min)
  @Max(maxDurationMinutes.max)
  maxDurationMinutes?: number;

  @ApiPropertyOptional({ minimum: warningThresholdMinutes.min, maximum: warningThresholdMinutes.max, example: 5, description: 'How long before expiry a session counts as near expiration' })
  @ReportAs(InvalidTimeoutConfigError)
  @IsOptional()
  @IsInt()
  @Min(warningThresholdMinutes.min)
  @Max(warningThresholdMinutes.max)
  warningThresholdMinutes?: number;
}
