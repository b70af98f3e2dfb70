import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { InvalidTimeoutConfigError, ReportAs, TimeoutConfigDto } from '@switchboard/common';

export class AgentSettingsDto {
  @ApiPropertyOptional({ type: TimeoutConfigDto, description: 'The agent tier of the timeout hierarchy: between the global defaults and the session request' })
  @ReportAs(InvalidTimeoutConfigError)
  @IsOptional()
  @ValidateNested()
  @Type(() => TimeoutConfigDto)
  timeoutConfig?: TimeoutConfigDto;
}
