import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '@switchboard/agents';
import { AuthModule } from '@switchboard/auth';
import { MessagingModule } from '@switchboard/messaging';
import { SessionsModule } from '@switchboard/sessions';
import { AsyncApiController } from './asyncapi/asyncapi.controller';
import { RealtimeAuthService } from './realtime-auth.service';
import { DirectRooms } from './direct-rooms';
import { InstancePeers } from './instance-peers';
import { RoomAccessService } from './room-access.service';
import { ServerIdentityEntity } from './server-identity.entity';
import { ServerIdentityRepository } from './server-identity.repository';
import { ServerIdentityService } from './server-identity.service';
import { SocketIoFanout } from './socket-io.fanout';
import { SocketIoGateway } from './socket-io.gateway';
import { WS_MESSAGE_HANDLERS } from './ws/handlers/ws-message-handlers';
import { WsDispatcher } from './ws/ws-dispatcher.service';
import { WsServer } from './ws/ws.server';

@Module({
  imports: [DiscoveryModule, AuthModule, AgentsModule, MessagingModule, SessionsModule, TypeOrmModule.forFeature([ServerIdentityEntity])],
  controllers: [AsyncApiController],
  providers: [
    RealtimeAuthService,
    RoomAccessService,
    DirectRooms,
    InstancePeers,
    ServerIdentityRepository,
    ServerIdentityService,
    SocketIoFanout,
    SocketIoGateway,
    WsDispatcher,
    ...WS_MESSAGE_HANDLERS,
    WsServer,
  ],
  exports: [RealtimeAuthService, RoomAccessService, ServerIdentityService, SocketIoGateway, WsServer],
})
export class RealtimeModule {}
