import type { IncomingMessage } from "node:http";

export const CLIENT_ADDRESS_HEADER: "x-reset-desk-ip";
export class TrustProxyError extends Error {}
export type TrustProxy = {
  hops: number | null;
  trust: (address: string, index: number) => boolean;
  describe: string;
};
export function parseTrustProxy(raw: string | undefined): TrustProxy;
export function normaliseAddress(raw: string | undefined): string;
export function clientAddress(req: Pick<IncomingMessage, "headers" | "socket">, trust: TrustProxy): string;
