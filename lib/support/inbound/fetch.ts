// Fetching received emails by id: through the Resend SDK
// (emails.receiving.get, on the fetch thread), or, with the outbox transport,
// from the test emails that /dev/mailbox sent into the desk.
import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { devReceivedEmails } from "@/db/schema";
import { env } from "@/lib/env";
import type { ReceivedEmail } from "./classify";
import { fetchOnThread, type ThreadAnswer } from "./fetch-thread";

export class FetchError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "FetchError";
  }
  /** 404 and 4xx will not change on a retry… except 429. */
  get permanent() {
    return this.status !== null && this.status >= 400 && this.status < 500 && this.status !== 429 && this.status !== 404;
  }
}

/** Each email's message, or why it could not be had, in the order asked. */
export async function fetchReceivedEmails(db: Db, emailIds: readonly string[], concurrency = 32): Promise<(ReceivedEmail | FetchError)[]> {
  if (emailIds.length === 0) return [];
  const e = env();
  if (e.EMAIL_TRANSPORT === "outbox") {
    const rows = await db
      .select({ emailId: devReceivedEmails.emailId, message: devReceivedEmails.message })
      .from(devReceivedEmails)
      .where(inArray(devReceivedEmails.emailId, [...emailIds]));
    const byId = new Map(rows.map((r) => [r.emailId, r.message as unknown as ReceivedEmail]));
    return emailIds.map((id) => byId.get(id) ?? new FetchError(`no test email ${id}`, 404));
  }
  const answers = await fetchOnThread({
    key: e.RESEND_API_KEY ?? "",
    baseUrl: e.RESEND_BASE_URL ?? null,
    emailIds,
    concurrency,
  }).catch((error: Error) => emailIds.map((): ThreadAnswer => ({ unreachable: error.message })));
  return answers.map((answer) => {
    if ("data" in answer) return answer.data;
    if ("unreachable" in answer) return new FetchError(`Resend could not be reached: ${answer.unreachable}`, null);
    return new FetchError(`Resend refused the fetch: ${answer.error.message}`, answer.error.statusCode);
  });
}
