import type { Metadata } from "next";
import Link from "next/link";
import { getPublishedNotice } from "@/lib/incident/published";
import { contactTopics, contactTopicWords } from "@/lib/support/contact-suggestions";
import { ContactForm } from "./contact-form";

export const metadata: Metadata = { title: "Contact support" };

// Public: no account needed, and blocked sessions may use it too (SPEC 4.3).
export default async function ContactPage() {
  // The notice's FAQ (from the cache: no database query per visit) feeds the suggestions.
  const faq = (await getPublishedNotice())?.faq ?? [];
  return (
    <div className="narrow stack">
      <h1>Contact support</h1>
      <p>
        Our phone lines cannot take the number of calls, so our team answers every message here by email. You do not
        need to sign in.
      </p>
      <p className="muted">
        To set a new password yourself, you do not need to wait for us:{" "}
        <Link href="/forgot-password">email me a reset link</Link>.
      </p>
      <ContactForm faq={faq} topics={contactTopics} topicWords={contactTopicWords} />
    </div>
  );
}
