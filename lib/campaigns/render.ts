// The notice is rendered once per campaign with placeholders, then filled in
// per recipient: React Email rendering costs milliseconds, a string
// replacement microseconds, and a campaign has millions of recipients.
import { createHash } from "node:crypto";
import { createElement } from "react";
import { desc, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { noticeRevisions } from "@/db/schema";
import { renderEmail, type OutgoingEmail } from "@/lib/email";
import { escapeHtml, fillSlots } from "@/lib/email/slots";
import { env } from "@/lib/env";
import { supportAddress } from "@/lib/support/threading";
import { demoNotice } from "@/lib/incident/demo-notice";
import { BreachNoticeEmail, type BreachNoticeSections } from "@/emails/breach-notice";
import { openLink } from "./seal";
import type { ClaimedRecipient } from "./queue";

const NAME = "RDPLACEHOLDERNAME";
const URL_ = "https://rd-placeholder.invalid/reset-link";
const EXPIRES = "RDPLACEHOLDEREXPIRES";

export type NoticeTemplate = { subject: string; html: string; text: string };

export function breachNoticeSubject(brand: string) {
  return `Notice of Data Breach: set a new ${brand} password`;
}

async function currentSections(db: Db): Promise<BreachNoticeSections> {
  const [latest] = await db
    .select({ sections: noticeRevisions.sections })
    .from(noticeRevisions)
    .where(isNotNull(noticeRevisions.publishedAt))
    .orderBy(desc(noticeRevisions.publishedAt))
    .limit(1);
  return latest?.sections ?? demoNotice(env().BRAND_NAME, env().SUPPORT_EMAIL).sections;
}

export async function buildNoticeTemplate(db: Db): Promise<NoticeTemplate> {
  const e = env();
  const { html, text } = await renderEmail(
    createElement(BreachNoticeEmail, {
      brandName: e.BRAND_NAME,
      brandColor: e.BRAND_COLOR,
      name: NAME,
      resetUrl: URL_,
      linkExpires: EXPIRES,
      noticeUrl: new URL("/notice", e.APP_URL).toString(),
      supportEmail: e.SUPPORT_EMAIL,
      sections: await currentSections(db),
    }),
  );
  return { subject: breachNoticeSubject(e.BRAND_NAME), html, text };
}

function formatExpiry(iso: string) {
  return new Date(iso).toLocaleString("en-US", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}

/**
 * The notice's own Message-ID, so that a delivery report naming it is linked
 * to the email sent (decision 0007). Derived from the recipient's sealed link,
 * which is random and the same on every retry of its batch: unguessable (a
 * forged report cannot name someone else's notice), and a retried batch stays
 * byte-identical (decision 0004).
 */
export function noticeMessageId(recipient: Pick<ClaimedRecipient, "sealedLink">): string {
  const digest = createHash("sha256").update(`reset-desk notice\0${recipient.sealedLink}`).digest("hex").slice(0, 32);
  return `<rd.n.${digest}@${supportAddress().domain}>`;
}

export function personalise(template: NoticeTemplate, recipient: ClaimedRecipient): OutgoingEmail {
  const link = openLink(recipient.sealedLink);
  const expires = formatExpiry(link.expiresAt);
  // The greeting falls back to a neutral one when the name is unknown.
  const name = recipient.name?.trim() || "customer";
  return {
    to: recipient.email,
    subject: template.subject,
    html: fillSlots(template.html, [[NAME, escapeHtml(name)], [URL_, escapeHtml(link.url)], [EXPIRES, escapeHtml(expires)]]),
    text: fillSlots(template.text, [[NAME, name], [URL_, link.url], [EXPIRES, expires]]),
    tags: [{ name: "kind", value: "breach_notice" }],
    headers: { "Message-ID": noticeMessageId(recipient) },
  };
}
