import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, Length } from 'class-validator';
import { RUNTIME_PROVIDERS, RuntimeProviderName } from '../agent.entity';

export class AgentRuntimeDto {
  @ApiProperty({ enum: RUNTIME_PROVIDERS, default: 'echo', description: 'What produces the agent\'s replies' })
  @IsIn(RUNTIME_PROVIDERS)
  provider!: RuntimeProviderName;

  @ApiPropertyOptional({ example: 'gpt-4o-mini', description: 'Model name for the openai provider' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  model?: string;

  @ApiPropertyOptional({ example: 'http://127.0.0.1:8080/v1', description: 'OpenAI-compatible base URL; the key comes from the environment, never from here' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  baseUrl?: string;
}
