// Request topics: the keys are stable (stored, in URLs); the labels are what a
// customer picks on the contact form. Email gets a topic from the keyword rules
// below, first match wins, so an admin page can show them as they are.
import { supportTopics } from "@/db/schema";

export const topicKeys = supportTopics;
export type Topic = (typeof topicKeys)[number];

export const topicLabels: Record<Topic, string> = {
  "sign-in": "Can't sign in",
  card: "My card and payment data",
  genuine: "Is this email genuine",
  data: "My data",
  other: "Something else",
};

export function parseTopic(value: unknown): Topic | undefined {
  return topicKeys.includes(value as Topic) ? (value as Topic) : undefined;
}

/** Keyword rules for email, in order; the first rule with a word in the subject or body wins. */
export const emailTopicRules: { topic: Topic; words: string[] }[] = [
  { topic: "genuine", words: ["genuine", "phishing", "scam", "real email", "legit"] },
  { topic: "card", words: ["card", "payment", "bank", "charge", "refund"] },
  { topic: "sign-in", words: ["password", "sign in", "signin", "log in", "login", "locked out", "reset"] },
  { topic: "data", words: ["my data", "delete", "gdpr", "personal data", "export"] },
];

export function topicForEmail(subject: string, body: string): Topic {
  const text = `${subject}\n${body}`.toLowerCase();
  for (const rule of emailTopicRules) {
    if (rule.words.some((word) => text.includes(word))) return rule.topic;
  }
  return "other";
}
