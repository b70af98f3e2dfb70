import { Module } from '@nestjs/common';
import { AuthModule } from '@switchboard/auth';
import { MessagingModule } from '@switchboard/messaging';
import { SessionsModule } from '@switchboard/sessions';
import { RealtimeAuthService } from './realtime-auth.service';
import { RoomAccessService } from './room-access.service';
import { SocketIoFanout } from './socket-io.fanout';
import { SocketIoGateway } from './socket-io.gateway';

@Module({
  imports: [AuthModule, MessagingModule, SessionsModule],
  providers: [RealtimeAuthService, RoomAccessService, SocketIoFanout, SocketIoGateway],
  exports: [RealtimeAuthService, RoomAccessService],
})
export class RealtimeModule {}
