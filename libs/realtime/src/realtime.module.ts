import { Module } from '@nestjs/common';
import { AgentsModule } from '@switchboard/agents';
import { AuthModule } from '@switchboard/auth';
import { MessagingModule } from '@switchboard/messaging';
import { SessionsModule } from '@switchboard/sessions';
import { RealtimeAuthService } from './realtime-auth.service';
import { RoomAccessService } from './room-access.service';
import { SocketIoFanout } from './socket-io.fanout';
import { SocketIoGateway } from './socket-io.gateway';
import { WsProtocolService } from './ws/ws-protocol.service';
import { WsServer } from './ws/ws.server';

@Module({
  imports: [AuthModule, AgentsModule, MessagingModule, SessionsModule],
  providers: [RealtimeAuthService, RoomAccessService, SocketIoFanout, SocketIoGateway, WsProtocolService, WsServer],
  exports: [RealtimeAuthService, RoomAccessService],
})
export class RealtimeModule {}
