import { Injectable, PipeTransform } from '@nestjs/common';
import { MissingFieldsError, ValidationError } from '@switchboard/common';
import { ClientSignalDto } from './dto/client-signal.dto';
import { JoinRoomDto } from './dto/join-room.dto';
import { SocketSendDto } from './dto/socket-send.dto';
import { SOCKET_MESSAGE_TYPE } from './socket-message-type';
import { validateSocketPayload } from './socket-payload.pipe';

export type SignalType = SOCKET_MESSAGE_TYPE.ACK | SOCKET_MESSAGE_TYPE.THINKING | SOCKET_MESSAGE_TYPE.CONTROL;

/** A `message` event in either client style, as the one thing it asks for. */
export type SocketMessage =
  | { kind: 'send'; send: SocketSendDto; typed: boolean }
  | { kind: 'join'; join: JoinRoomDto }
  | { kind: 'signal'; type: SignalType; signal: ClientSignalDto };

/**
 * `message` carries the named style `{text, roomId, userId, name}` or the typed envelope
 * `{type, payload}` of seeds 000/002: this pipe tells them apart and checks the payload against
 * the DTO of what it asks for.
 */
@Injectable()
export class SocketMessagePipe implements PipeTransform<unknown, Promise<SocketMessage>> {
  async transform(frame: unknown): Promise<SocketMessage> {
    if (!isObject(frame)) throw new ValidationError('A message must be a JSON object');
    if (frame.type === undefined) return { kind: 'send', typed: false, send: await validateSocketPayload(SocketSendDto, asSend(frame)) };
    const payload = isObject(frame.payload) ? frame.payload : {};
    switch (frame.type) {
      case SOCKET_MESSAGE_TYPE.ROOM_JOINING:
        return { kind: 'join', join: await validateSocketPayload(JoinRoomDto, payload) };
      case SOCKET_MESSAGE_TYPE.SEND_MESSAGE:
      case SOCKET_MESSAGE_TYPE.MESSAGE:
        return { kind: 'send', typed: true, send: await validateSocketPayload(SocketSendDto, asSend({ ...payload, text: payload.message ?? payload.text })) };
      case SOCKET_MESSAGE_TYPE.ACK:
      case SOCKET_MESSAGE_TYPE.THINKING:
      case SOCKET_MESSAGE_TYPE.CONTROL: {
        const signal = await validateSocketPayload(ClientSignalDto, payload);
        if (frame.type === SOCKET_MESSAGE_TYPE.CONTROL && !signal.action) throw new MissingFieldsError('A CONTROL message names its action', { missingFields: ['action'] });
        return { kind: 'signal', type: frame.type as SignalType, signal };
      }
      default:
        throw new ValidationError(`Unknown message type ${String(frame.type)}; the types are 1 to 6 (SOCKET_MESSAGE_TYPE)`, { type: frame.type });
    }
  }
}

/** The seeds name the sender `userId`/`name` or `senderId`/`senderName`; the DTO knows the latter. */
function asSend(payload: Record<string, unknown>): Record<string, unknown> {
  return { ...payload, senderId: payload.senderId ?? payload.userId, senderName: payload.senderName ?? payload.name };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
