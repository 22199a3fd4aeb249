import type { IncomingMessage, ServerResponse } from "node:http";

export function createInFlightLimit(options: { max: number; retryAfterSeconds?: number }): {
  admit: (req: IncomingMessage, res: ServerResponse) => boolean;
  inFlight: () => number;
  shed: () => number;
};
