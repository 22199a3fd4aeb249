// Answers that may help before writing: the reset flow and FAQ answers (the
// notice's Markdown, rendered safely). Shared by the live list and the list
// shown after submitting without JavaScript.
import Link from "next/link";
import { MarkdownView } from "@/lib/incident/markdown-view";
import type { Suggestion } from "@/lib/support/self-service";

export function SuggestionList({ suggestions }: { suggestions: Suggestion[] }) {
  return (
    <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
      {suggestions.map((s) =>
        s.kind === "reset" ? (
          <li key="reset" className="panel">
            <h3>Can&apos;t sign in?</h3>
            <p>
              Every password was reset after the breach. You can set a new one yourself now, without waiting for us:{" "}
              <Link href="/forgot-password">email me a reset link</Link>.
            </p>
          </li>
        ) : (
          <li key={s.question} className="panel">
            <h3>{s.question}</h3>
            <MarkdownView source={s.answer} />
          </li>
        ),
      )}
    </ul>
  );
}
