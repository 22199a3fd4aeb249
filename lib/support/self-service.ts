// Self-service before a request (issue 13): while a customer writes on the
// contact form, the reset flow and the notice's FAQ answers that match the
// topic and the words typed. Pure and small, so the same function runs in the
// browser (live, as they type) and on the server (after submitting, without
// JavaScript). The topic's words come from the caller (lib/support/topics.ts on
// the server), so this module pulls nothing else into the browser.
export type FaqEntry = { question: string; answer: string };

export type Suggestion = { kind: "reset" } | { kind: "faq"; question: string; answer: string };

/** Words of a topic: its label's and its email keywords (topics.ts), by topic key. */
export type TopicWords = Record<string, string[]>;

const STOPWORDS = new Set(
  ("a about after again all also am an and any are as at be been before being but by can cannot could did do does doing " +
    "for from get got had has have having he her here him his how i if in into is it its just me more my no not now of " +
    "on once only or other our out over own same she should so some such than that the their them then there these they " +
    "this those through to too under until up very was we were what when where which while who why will with would you " +
    "your yours hello hi thanks thank please dear regards help need want know since still today yesterday something else").split(" "),
);

/** Words that stand for the reset flow, whatever the topic chosen. */
const RESET_WORDS = ["password", "sign", "signin", "login", "log", "locked", "reset"];

/** Lower-case content words, crudely stemmed ("charges" and "charged" meet at "charg"). */
export function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().normalize("NFKD").split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 3 || STOPWORDS.has(raw)) continue;
    out.add(stem(raw));
  }
  return out;
}

function stem(word: string): string {
  for (const suffix of ["ing", "ed", "es", "s"]) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

const overlap = (a: Set<string>, b: Set<string>) => [...a].filter((w) => b.has(w)).length;

export const MAX_SUGGESTIONS = 3;

/**
 * Suggestions for what the customer chose and typed, best first: the reset
 * flow when the topic or the words are about signing in, then FAQ answers
 * whose question (twice the weight) or answer share words with the message or
 * the topic. Nothing until there is something to match.
 */
export function suggestionsFor(input: { topic?: string; message: string }, faq: readonly FaqEntry[], topicWords: TopicWords): Suggestion[] {
  const message = contentWords(input.message);
  const topic = contentWords((input.topic && topicWords[input.topic]?.join(" ")) || "");
  const out: Suggestion[] = [];
  if (input.topic === "sign-in" || RESET_WORDS.map(stem).some((w) => message.has(w))) out.push({ kind: "reset" });
  if (message.size === 0 && topic.size === 0) return out;
  const scored = faq
    .map((entry, index) => {
      const question = contentWords(entry.question);
      const answer = contentWords(entry.answer);
      const score = 2 * overlap(message, question) + overlap(message, answer) + 2 * overlap(topic, question) + overlap(topic, answer);
      return { entry, index, score };
    })
    .filter((s) => s.score >= 2)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, MAX_SUGGESTIONS);
  for (const s of scored) out.push({ kind: "faq", question: s.entry.question, answer: s.entry.answer });
  return out;
}
