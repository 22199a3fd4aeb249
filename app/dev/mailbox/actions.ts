"use server";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { sendTestEmailIntoDesk } from "@/lib/support/inbound/dev";

export async function sendTestEmailAction(form: FormData) {
  const result = await sendTestEmailIntoDesk(await getDb(), {
    from: form.get("from"),
    to: form.get("to") || undefined,
    subject: form.get("subject") ?? "",
    text: form.get("text") ?? "",
    inReplyTo: form.get("inReplyTo") || undefined,
  });
  redirect(result.ok ? "/dev/mailbox?sent=1" : `/dev/mailbox?error=${encodeURIComponent(result.error)}`);
}
