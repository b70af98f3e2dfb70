/** A JSON object as clients send it (metadata); its size and depth are checked at the edge. */
export type JsonObject = Record<string, unknown>;
