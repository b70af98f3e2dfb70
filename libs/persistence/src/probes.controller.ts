import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiErrorResponses, DrainState, Public, ServiceUnavailableError } from '@switchboard/common';

/** Open probes for load balancers and the Docker HEALTHCHECK; they reveal nothing but up/down. */
@ApiTags('probes')
@Public()
@Controller()
export class ProbesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly drain: DrainState,
  ) {}

  @Get('livez')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: the database answers and the instance is not shutting down' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  @ApiErrorResponses(503)
  async ready(): Promise<{ status: 'ok' }> {
    // First thing a drain changes, so load balancers stop sending before connections are refused.
    if (this.drain.draining) throw new ServiceUnavailableError('This instance is shutting down');
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableError('The database does not answer');
    }
    return { status: 'ok' };
  }
}
