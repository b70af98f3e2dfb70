import { Controller, Get, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, ServiceUnavailableError } from '@switchboard/common';
import { RequireScopes } from '@switchboard/auth';
import { SessionsService } from './sessions.service';
import { SessionsHealthDto } from './dto/sessions-health.dto';

@ApiTags('sessions')
@Controller('api/messaging/sessions/health')
export class SessionsHealthController {
  private readonly logger = new Logger(SessionsHealthController.name);

  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @RequireScopes('sessions:health')
  @ApiOperation({ summary: 'Health of the sessions service, with session counts' })
  @ApiOkResponse({ type: SessionsHealthDto })
  @ApiErrorResponses(401, 403, 503)
  async health(): Promise<SessionsHealthDto> {
    try {
      const counts = await this.sessions.counts();
      return {
        status: 'healthy',
        activeSessions: counts.active,
        timestamp: new Date(this.sessions.now()).toISOString(),
        expiringSoon: counts.expiringSoon,
        invalidSessions: counts.total - counts.active,
        uptime: Math.floor(process.uptime()),
      };
    } catch (error) {
      this.logger.error(`Health check failed: ${(error as Error).message}`);
      throw new ServiceUnavailableError('The sessions database does not answer', { status: 'unhealthy' });
    }
  }
}
