// The demo's saved replies: one answer per question of the notice's FAQ, so the
// desk can answer the breach day's most common questions at once. Safe to run
// again (a live reply with the same title is kept as it is).
import type { Db } from "@/db/client";
import { savedReplies, type NoticeFaq } from "@/db/schema";
import { topicForEmail } from "./topics";

export function savedRepliesFromFaq(faq: NoticeFaq): { title: string; body: string; topic: ReturnType<typeof topicForEmail> }[] {
  return faq.map(({ question, answer }) => ({
    title: question.slice(0, 120),
    body: `Hello {{name}},\n\nThank you for writing to us. ${answer}\n\nIf you need more help, reply to this email: it stays with your request {{reference}}.`,
    topic: topicForEmail(question, answer),
  }));
}

export async function seedSavedReplies(db: Db, faq: NoticeFaq): Promise<number> {
  const rows = savedRepliesFromFaq(faq);
  if (rows.length === 0) return 0;
  const created = await db
    .insert(savedReplies)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: savedReplies.id });
  return created.length;
}
