import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { insertRow, updateRows } from '@switchboard/persistence';
import { CommandEntity } from './command.entity';

@Injectable()
export class CommandsRepository {
  constructor(@InjectRepository(CommandEntity) private readonly commands: Repository<CommandEntity>) {}

  insert(command: CommandEntity): Promise<unknown> {
    return insertRow(this.commands, command);
  }

  async update(id: string, changes: Partial<Pick<CommandEntity, 'status' | 'result' | 'error' | 'completedAt' | 'executionTimeMs'>>): Promise<void> {
    await updateRows<CommandEntity>(this.commands, { id }, changes);
  }

  findById(id: string): Promise<CommandEntity | null> {
    return this.commands.findOneBy({ id });
  }

  findPageForAgent(agentId: string, limit: number, offset: number): Promise<[CommandEntity[], number]> {
    return this.commands.findAndCount({ where: { agentId }, order: { createdAt: 'DESC', id: 'ASC' }, take: limit, skip: offset });
  }
}
