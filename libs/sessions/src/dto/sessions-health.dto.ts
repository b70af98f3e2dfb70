import { ApiProperty } from '@nestjs/swagger';

export class SessionsHealthDto {
  @ApiProperty({ enum: ['healthy'], example: 'healthy' })
  status!: 'healthy';

  @ApiProperty({ example: 123 })
  activeSessions!: number;

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ description: 'Active sessions inside their warning window', example: 4 })
  expiringSoon!: number;

  @ApiProperty({ description: 'Sessions past their expiry still stored, awaiting the purge', example: 2 })
  invalidSessions!: number;

  @ApiProperty({ description: 'Seconds since this instance started', example: 3600 })
  uptime!: number;
}
