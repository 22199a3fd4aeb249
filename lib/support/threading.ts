// Threading that cannot be forged (decision 0007). Every email the desk sends
// about a request carries our own Message-ID, a Reply-To whose local part holds
// the reference and an HMAC of it, and In-Reply-To/References to the thread.
// An inbound email joins a request only by a valid token or by naming one of
// our Message-IDs, and only when its sender is the request's customer.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { supportThreadIds } from "@/db/schema";
import { env } from "@/lib/env";

/** Relays refuse very long headers: References names at most this many. */
export const REFERENCES_CAP = 10;
const MAC_HEX = 16; // 64 bits: forging one takes 2^64 guesses, each a whole email

function tokenKey(): Buffer {
  const e = env();
  if (e.SUPPORT_REPLY_TOKEN_KEY) return Buffer.from(e.SUPPORT_REPLY_TOKEN_KEY, "utf8");
  // Derived, so that one secret suffices; a separate key can be rotated alone.
  return createHmac("sha256", e.AUTH_SECRET).update("reset-desk support reply token v1").digest();
}

function macOf(reference: string): string {
  return createHmac("sha256", tokenKey()).update(reference.toUpperCase()).digest("hex").slice(0, MAC_HEX);
}

/** The address customers are asked to write to, and the domain of the tokens. */
export function supportAddress(): { local: string; domain: string; address: string } {
  const address = env().SUPPORT_EMAIL.toLowerCase();
  const at = address.lastIndexOf("@");
  return { local: address.slice(0, at), domain: address.slice(at + 1), address };
}

/** support+RD-XXXX.<mac>@domain */
export function replyAddressFor(reference: string): string {
  const { local, domain } = supportAddress();
  return `${local}+${reference}.${macOf(reference)}@${domain}`;
}

/**
 * The reference named by a signed reply address among the recipients, or
 * null. An unsigned or wrongly signed token is ignored (never an error).
 */
export function referenceFromRecipients(recipients: readonly string[]): string | null {
  const { local, domain } = supportAddress();
  for (const raw of recipients) {
    const address = bareAddress(raw);
    const at = address.lastIndexOf("@");
    if (at < 0 || address.slice(at + 1) !== domain) continue;
    const part = address.slice(0, at);
    if (!part.startsWith(`${local}+`)) continue;
    const match = /^(rd-[0-9a-z]{8})\.([0-9a-f]{16})$/.exec(part.slice(local.length + 1));
    if (!match) continue;
    const reference = match[1].toUpperCase();
    const given = Buffer.from(match[2], "utf8");
    const expected = Buffer.from(macOf(reference), "utf8");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return reference;
  }
  return null;
}

/** "Name <a@b>" or "a@b" → a@b, trimmed and lower-cased. */
export function bareAddress(value: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(value);
  return (angle ? angle[1] : value).trim().toLowerCase();
}

/** The display name of "Name <a@b>", unquoted; "" when there is none. */
export function displayName(value: string): string {
  const angle = value.lastIndexOf("<");
  if (angle <= 0) return "";
  return value.slice(0, angle).trim().replace(/^"(.*)"$/, "$1").trim();
}

/** <rd.…@domain>: unguessable, so that naming it proves one received our email. */
export function newMessageId(): string {
  return `<rd.${randomBytes(12).toString("hex")}@${supportAddress().domain}>`;
}

/** Message-IDs named by In-Reply-To and References, in order, at most 50. */
export function referencedIds(inReplyTo: string | undefined, references: string | undefined): string[] {
  const found = `${references ?? ""} ${inReplyTo ?? ""}`.match(/<[^<>\s]{1,250}>/g) ?? [];
  return [...new Set(found)].slice(-50);
}

/** Headers of one email about a request: a new Message-ID of ours, threaded to what came before. */
export async function threadHeaders(
  db: Db,
  requestId: number,
  reference: string,
  extra: Record<string, string> = {},
): Promise<{ messageId: string; replyTo: string; headers: Record<string, string> }> {
  const previous = await db
    .select({ messageId: supportThreadIds.messageId })
    .from(supportThreadIds)
    .where(eq(supportThreadIds.requestId, requestId))
    .orderBy(desc(supportThreadIds.createdAt), desc(supportThreadIds.messageId))
    .limit(REFERENCES_CAP);
  const chain = previous.map((r) => r.messageId).reverse();
  const messageId = newMessageId();
  const headers: Record<string, string> = { "Message-ID": messageId, ...extra };
  if (chain.length > 0) {
    headers["In-Reply-To"] = chain[chain.length - 1];
    headers.References = chain.join(" ");
  }
  return { messageId, replyTo: replyAddressFor(reference), headers };
}

/** Records Message-IDs on a request's thread; one already known is kept as it was. */
export async function rememberThreadIds(
  db: Db,
  requestId: number,
  ids: readonly { messageId: string; ours: boolean }[],
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .insert(supportThreadIds)
    .values(ids.map((i) => ({ requestId, messageId: i.messageId.slice(0, 300), ours: i.ours })))
    .onConflictDoNothing();
}

/** The newest request that one of our Message-IDs among `ids` belongs to. */
export async function requestOfOurIds(db: Db, ids: readonly string[]): Promise<number | null> {
  if (ids.length === 0) return null;
  const [row] = await db
    .select({ requestId: supportThreadIds.requestId })
    .from(supportThreadIds)
    .where(and(inArray(supportThreadIds.messageId, [...ids]), sql`${supportThreadIds.ours}`))
    .orderBy(desc(supportThreadIds.createdAt))
    .limit(1);
  return row?.requestId ?? null;
}
