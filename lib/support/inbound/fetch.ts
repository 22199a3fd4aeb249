// Fetching a received email by id: through the Resend SDK
// (emails.receiving.get), or, with the outbox transport, from the test emails
// that /dev/mailbox sent into the desk.
import { eq } from "drizzle-orm";
import { Resend } from "resend";
import type { Db } from "@/db/client";
import { devReceivedEmails } from "@/db/schema";
import { env } from "@/lib/env";
import type { ReceivedEmail } from "./classify";

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

let client: { key: string; resend: Resend } | undefined;

function resendClient(): Resend {
  const e = env();
  const key = `${e.RESEND_API_KEY}|${e.RESEND_BASE_URL ?? ""}`;
  if (client?.key !== key) {
    client = { key, resend: new Resend(e.RESEND_API_KEY, e.RESEND_BASE_URL ? { baseUrl: e.RESEND_BASE_URL } : undefined) };
  }
  return client.resend;
}

export async function fetchReceivedEmail(db: Db, emailId: string): Promise<ReceivedEmail> {
  if (env().EMAIL_TRANSPORT === "outbox") {
    const [row] = await db
      .select({ message: devReceivedEmails.message })
      .from(devReceivedEmails)
      .where(eq(devReceivedEmails.emailId, emailId));
    if (!row) throw new FetchError(`no test email ${emailId}`, 404);
    return row.message as unknown as ReceivedEmail;
  }
  let answer;
  try {
    answer = await resendClient().emails.receiving.get(emailId);
  } catch (error) {
    throw new FetchError(`Resend could not be reached: ${(error as Error).message}`, null);
  }
  const { data, error } = answer;
  if (error || !data) {
    const status = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
    throw new FetchError(`Resend refused the fetch: ${error?.message ?? "no answer"}`, status);
  }
  return data;
}
