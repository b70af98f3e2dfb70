import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, PageQueryDto, UuidParamPipe } from '@switchboard/common';
import { RequireScopes } from '@switchboard/auth';
import { AgentsService } from './agents.service';
import { AgentDto, AgentListDto } from './dto/agent.dto';
import { CreateAgentDto } from './dto/create-agent.dto';
import { UpdateAgentDto } from './dto/update-agent.dto';

@ApiTags('agents')
@ApiErrorResponses(401, 403)
@Controller('api/agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Post()
  @RequireScopes('agents:manage')
  @ApiOperation({ summary: 'Create an agent' })
  @ApiCreatedResponse({ type: AgentDto })
  @ApiErrorResponses(400, 409, 413, 415)
  async create(@Body() dto: CreateAgentDto): Promise<AgentDto> {
    return AgentDto.from(await this.agents.create(dto));
  }

  @Get()
  @RequireScopes('agents:read')
  @ApiOperation({ summary: 'List agents, oldest first' })
  @ApiOkResponse({ type: AgentListDto })
  @ApiErrorResponses(400)
  async list(@Query() page: PageQueryDto): Promise<AgentListDto> {
    const [agents, total] = await this.agents.list(page.limit, page.offset);
    return { agents: agents.map(AgentDto.from), total, limit: page.limit, offset: page.offset };
  }

  @Get(':agentId')
  @RequireScopes('agents:read')
  @ApiOperation({ summary: 'Get an agent' })
  @ApiOkResponse({ type: AgentDto })
  @ApiErrorResponses(400, 404)
  async get(@Param('agentId', new UuidParamPipe('agentId')) agentId: string): Promise<AgentDto> {
    return AgentDto.from(await this.agents.get(agentId));
  }

  @Patch(':agentId')
  @RequireScopes('agents:manage')
  @ApiOperation({ summary: 'Update an agent\'s name, status, settings or runtime' })
  @ApiOkResponse({ type: AgentDto })
  @ApiErrorResponses(400, 404, 409, 413, 415)
  async update(@Param('agentId', new UuidParamPipe('agentId')) agentId: string, @Body() dto: UpdateAgentDto): Promise<AgentDto> {
    return AgentDto.from(await this.agents.update(agentId, dto));
  }

  @Delete(':agentId')
  @HttpCode(200)
  @RequireScopes('agents:manage')
  @ApiOperation({ summary: 'Delete an agent that has no sessions left' })
  @ApiOkResponse({ schema: { example: { success: true, message: 'Agent … deleted successfully' } } })
  @ApiErrorResponses(400, 404, 409)
  async remove(@Param('agentId', new UuidParamPipe('agentId')) agentId: string): Promise<{ success: true; message: string }> {
    await this.agents.remove(agentId);
    return { success: true, message: `Agent ${agentId} deleted successfully` };
  }
}
