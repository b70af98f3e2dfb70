import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult } from '@nestjs/terminus';
import { ApiErrorResponses, Public } from '@switchboard/common';
import { Readiness } from './readiness.service';

/** Open probes for load balancers and the Docker HEALTHCHECK; they reveal nothing but what is up or down. */
@ApiTags('probes')
@Public()
@Controller()
export class ProbesController {
  constructor(private readonly readiness: Readiness) {}

  @Get('livez')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: the database and, when REDIS_URL is set, Redis answer, and the instance is not shutting down',
    description: 'A 503 names what does not answer; its `details` are the check\'s result, as in a 200.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        info: { database: { status: 'up', responseTime: 1 }, redis: { status: 'up', responseTime: 1 } },
        error: {},
        details: { database: { status: 'up', responseTime: 1 }, redis: { status: 'up', responseTime: 1 } },
      },
    },
  })
  @ApiErrorResponses(503)
  ready(): Promise<HealthCheckResult> {
    return this.readiness.check();
  }
}
