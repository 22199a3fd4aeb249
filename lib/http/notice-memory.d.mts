import type { IncomingMessage, ServerResponse } from "node:http";

export function createNoticeMemory(options: {
  port: number;
  host?: string;
  checkSeconds?: number;
  fetchImpl?: typeof fetch;
  log?: (line: string) => void;
}): {
  token: string;
  start(): void;
  stop(): void;
  invalidate(): void;
  isInternal(req: IncomingMessage): boolean;
  serve(req: IncomingMessage, res: ServerResponse): boolean;
};
