import type { ErrorEnvelope } from './realtime/socket-events.js';

/** The server answered with the error envelope (`{ error, code, message, details }`). */
export class SwitchboardApiError extends Error implements ErrorEnvelope {
  override readonly name = 'SwitchboardApiError';
  readonly error: string;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(
    readonly status: number,
    envelope: Partial<ErrorEnvelope>,
    /** How long the server asked to wait (429), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(envelope.message ?? `HTTP ${status}`);
    this.error = envelope.error ?? 'HttpError';
    this.code = envelope.code ?? `HTTP_${status}`;
    this.details = envelope.details ?? {};
  }

  /** The session is gone: not found (404) or expired (410). */
  get isSessionLost(): boolean {
    return this.status === 404 || this.status === 410;
  }
}

/** The request never got an answer (connection refused or reset, DNS, offline). */
export class SwitchboardNetworkError extends Error {
  override readonly name = 'SwitchboardNetworkError';

  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** A Socket.IO emit was refused (its ack said ok: false) or got no ack in time. */
export class SwitchboardSocketError extends Error implements ErrorEnvelope {
  override readonly name = 'SwitchboardSocketError';
  readonly error: string;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(envelope: ErrorEnvelope) {
    super(envelope.message);
    this.error = envelope.error;
    this.code = envelope.code;
    this.details = envelope.details;
  }
}
