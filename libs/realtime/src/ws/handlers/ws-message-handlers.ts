import { AgentHandoffHandler } from './agent-handoff.handler';
import { BatchHandler } from './batch.handler';
import { ChatHandler } from './chat.handler';
import { CommandHandler } from './command.handler';
import { JoinConversationHandler } from './join-conversation.handler';
import { PingHandler, PongHandler } from './ping.handler';
import { StatusHandler } from './status.handler';
import { SubscribeHandler } from './subscribe.handler';
import { TypingStartHandler, TypingStopHandler } from './typing.handler';
import { UnsubscribeHandler } from './unsubscribe.handler';

/** The providers of seed 003's message types; WsDispatcher finds them by their @WsMessage. */
export const WS_MESSAGE_HANDLERS = [
  ChatHandler,
  CommandHandler,
  SubscribeHandler,
  UnsubscribeHandler,
  JoinConversationHandler,
  AgentHandoffHandler,
  TypingStartHandler,
  TypingStopHandler,
  StatusHandler,
  PingHandler,
  PongHandler,
  BatchHandler,
];
