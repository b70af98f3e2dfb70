import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, Metrics, PROMETHEUS_CONTENT_TYPE } from '@switchboard/common';
import { RequireScopes } from '@switchboard/auth';

const EXAMPLE = `# HELP switchboard_messages_stored_total Messages stored, by author (user or agent), on every transport
# TYPE switchboard_messages_stored_total counter
switchboard_messages_stored_total{author="user"} 42
switchboard_messages_stored_total{author="agent"} 42
`;

@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @RequireScopes('metrics:read')
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({
    summary: 'Prometheus metrics of this instance (text exposition format); scrape it with a bearer token holding metrics:read',
    description:
      'HTTP request durations by route pattern and status, messages stored, agent turn durations and the turns waiting and running, ' +
      'connected sockets by transport, expiry sweeps, rate-limit refusals by rule and transport, the PostgreSQL pool (nothing on SQLite), and Node\'s process metrics.',
  })
  @ApiOkResponse({ description: 'The metrics', content: { 'text/plain': { schema: { type: 'string', example: EXAMPLE } } } })
  @ApiErrorResponses(401, 403)
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
