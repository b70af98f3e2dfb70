export {
  FRAME_TIMEOUT_MS,
  type FramePredicate,
  ofType,
  type TokenCarrier,
  type WsClosed,
  type WsConnectOptions,
  type WsErrorFrame,
  type WsFrame,
  WsPool,
  WsTestClient,
} from '@switchboard/testing';
