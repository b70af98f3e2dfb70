import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, PageQueryDto, UuidParamPipe } from '@switchboard/common';
import { RequireScopes } from '@switchboard/auth';
import { AgentsService } from '../agents.service';
import { CommandDto, CommandListDto } from './command.dto';
import { CommandsService } from './commands.service';

@ApiTags('agents')
@ApiErrorResponses(401, 403)
@Controller('api/agents/:agentId/commands')
export class CommandsController {
  constructor(
    private readonly commands: CommandsService,
    private readonly agents: AgentsService,
  ) {}

  @Get()
  @RequireScopes('agents:read')
  @ApiOperation({ summary: 'Commands given to the agent over /ws, newest first' })
  @ApiOkResponse({ type: CommandListDto })
  @ApiErrorResponses(400, 404)
  async list(@Param('agentId', new UuidParamPipe('agentId')) agentId: string, @Query() page: PageQueryDto): Promise<CommandListDto> {
    await this.agents.get(agentId);
    const [commands, total] = await this.commands.listForAgent(agentId, page.limit, page.offset);
    return { commands: commands.map(CommandDto.from), total, limit: page.limit, offset: page.offset };
  }

  @Get(':commandId')
  @RequireScopes('agents:read')
  @ApiOperation({ summary: 'One command with its status and result' })
  @ApiOkResponse({ type: CommandDto })
  @ApiErrorResponses(400, 404)
  async get(
    @Param('agentId', new UuidParamPipe('agentId')) agentId: string,
    @Param('commandId', new UuidParamPipe('commandId')) commandId: string,
  ): Promise<CommandDto> {
    return CommandDto.from(await this.commands.getForAgent(agentId, commandId));
  }
}
