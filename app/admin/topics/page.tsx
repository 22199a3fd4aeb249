import type { Metadata } from "next";
import { requireRole } from "@/lib/auth/guards";
import { emailTopicRules, topicKeys, topicLabels } from "@/lib/support/topics";

export const metadata: Metadata = { title: "Request topics", robots: { index: false } };

// The rules as the code applies them (lib/support/topics.ts): what an admin
// reads here is exactly what files each email.
export default async function TopicsPage() {
  await requireRole("admin", "/admin/topics");
  return (
    <div className="stack">
      <h1>Request topics</h1>
      <p>
        Customers pick a topic on the contact form. An email gets one from the rules below, tried in order: the first
        rule with one of its words in the subject or the message wins (any case, anywhere in the text); an email that
        matches none is “{topicLabels.other}”. Agents can change a request&apos;s topic on its page.
      </p>
      <h2 id="rules-heading">Rules for email</h2>
      <div className="table-wrap">
        <table aria-labelledby="rules-heading">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Topic</th>
              <th scope="col">Words</th>
            </tr>
          </thead>
          <tbody>
            {emailTopicRules.map((rule, i) => (
              <tr key={rule.topic}>
                <td>{i + 1}</td>
                <td>{topicLabels[rule.topic]}</td>
                <td>{rule.words.map((w) => `“${w}”`).join(", ")}</td>
              </tr>
            ))}
            <tr>
              <td>{emailTopicRules.length + 1}</td>
              <td>{topicLabels.other}</td>
              <td>anything else</td>
            </tr>
          </tbody>
        </table>
      </div>
      <h2 id="topics-heading">Topics</h2>
      <ul aria-labelledby="topics-heading">
        {topicKeys.map((t) => (
          <li key={t}>
            {topicLabels[t]} <span className="muted">({t})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
