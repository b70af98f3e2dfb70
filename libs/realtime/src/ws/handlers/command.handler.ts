import { Injectable } from '@nestjs/common';
import { AgentsService, CommandDto, CommandsService } from '@switchboard/agents';
import { RequireScopes } from '@switchboard/auth';
import { CommandFrameDto } from '../dto/command-frame.dto';
import type { WsClient } from '../ws-client';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';

/** `command` → a `command_result` at each step: queued, running, then completed or failed. */
@Injectable()
@WsMessage('command', CommandFrameDto)
@RequireScopes('agents:manage')
export class CommandHandler implements WsMessageHandler<CommandFrameDto> {
  constructor(
    private readonly agents: AgentsService,
    private readonly commands: CommandsService,
  ) {}

  async handle(client: WsClient, frame: CommandFrameDto): Promise<void> {
    const agent = await this.agents.resolve(frame.targetAgent);
    await this.commands.execute(
      agent,
      frame.data.instruction,
      frame.data.parameters ?? {},
      client.identity.entityId,
      (command) => client.send('command_result', CommandDto.from(command), frame.id),
      frame.priority,
    );
  }
}
