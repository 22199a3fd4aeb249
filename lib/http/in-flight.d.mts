import type { IncomingMessage, ServerResponse } from "node:http";

export function watchEventLoopLag(intervalMs?: number): { lagMs: () => number; stop: () => void };

export function createInFlightLimit(options: {
  max: number;
  retryAfterSeconds?: number;
  maxLagMs?: number;
  lagMs?: () => number;
}): {
  admit: (req: IncomingMessage, res: ServerResponse) => boolean;
  inFlight: () => number;
  shed: () => number;
};
