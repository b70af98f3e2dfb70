export type ErrorDetails = Record<string, unknown>;

/** The envelope every failure is written as, over HTTP and over sockets alike. */
export interface ErrorEnvelope {
  error: string;
  code: string;
  message: string;
  details: ErrorDetails;
}

/**
 * A failure the contract names. Subclasses fix the HTTP status and the machine code;
 * the class name is what clients switch on (`error` in the envelope).
 */
export abstract class SwitchboardError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;

  constructor(
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toEnvelope(): ErrorEnvelope {
    return { error: this.name, code: this.code, message: this.message, details: this.details };
  }
}
