import { createParamDecorator, ExecutionContext, PipeTransform, Type } from '@nestjs/common';
import { SocketPayloadPipe } from './socket-payload.pipe';

/** `whenMissing` stands in for an event sent without a payload (or with null). */
const payloadOf = createParamDecorator((whenMissing: object | undefined, context: ExecutionContext): unknown => context.switchToWs().getData<unknown>() ?? whenMissing);

/**
 * A socket event's payload, checked by SocketPayloadPipe (or `pipe`). A custom parameter rather
 * than @MessageBody(), which the global pipe would check with `forbidNonWhitelisted`.
 */
export function SocketPayload(options: { pipe?: Type<PipeTransform>; whenMissing?: object } = {}): ParameterDecorator {
  return payloadOf(options.whenMissing, options.pipe ?? SocketPayloadPipe);
}
