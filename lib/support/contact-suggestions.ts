// The contact form's suggestions on the server: the topic words come from the
// topics' labels and email rules (topics.ts), the answers from the published
// notice's FAQ. The browser runs the same suggestionsFor with the same words.
import { suggestionsFor, type FaqEntry, type Suggestion, type TopicWords } from "./self-service";
import { emailTopicRules, topicKeys, topicLabels } from "./topics";

export const contactTopicWords: TopicWords = Object.fromEntries(
  topicKeys.map((key) => [key, [topicLabels[key], ...emailTopicRules.filter((r) => r.topic === key).flatMap((r) => r.words)]]),
);

export const contactTopics = topicKeys.map((key) => ({ key, label: topicLabels[key] }));

export function contactSuggestions(input: { topic?: string; message: string }, faq: readonly FaqEntry[]): Suggestion[] {
  return suggestionsFor(input, faq, contactTopicWords);
}
