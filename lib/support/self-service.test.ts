import { describe, expect, it } from "vitest";
import { demoNotice } from "@/lib/incident/demo-notice";
import { contactSuggestions } from "./contact-suggestions";
import { contentWords } from "./self-service";

const faq = demoNotice("Northwind", "help@example.com").faq;
const questions = (input: { topic?: string; message: string }) =>
  contactSuggestions(input, faq).map((s) => (s.kind === "reset" ? "reset" : s.question));

describe("contact-form suggestions", () => {
  it("offer the reset flow first for signing in, by topic or by the words typed", () => {
    expect(questions({ topic: "sign-in", message: "" })[0]).toBe("reset");
    const typed = questions({ message: "I can't log in with my old password" });
    expect(typed[0]).toBe("reset");
    expect(typed[1]).toBe("Why can't I sign in with my old password?");
  });

  it("match the topic alone, and the words of the message", () => {
    expect(questions({ topic: "card", message: "" })[0]).toBe("Was my card number stolen?");
    expect(questions({ topic: "genuine", message: "" })[0]).toBe("Is the email I received from you genuine?");
    expect(questions({ message: "Is this email I received really from you?" })[0]).toBe("Is the email I received from you genuine?");
    expect(questions({ message: "were my card numbers stolen" })[0]).toBe("Was my card number stolen?");
  });

  it("suggest nothing for words that match nothing, and at most three answers", () => {
    expect(questions({ message: "Hello, thanks!" })).toEqual([]);
    expect(questions({ topic: "other", message: "" })).toEqual([]);
    expect(questions({ message: "delete my account please" })).not.toContain("reset");
    expect(contactSuggestions({ topic: "sign-in", message: "password card email genuine person reach stolen" }, faq).length).toBeLessThanOrEqual(4);
  });

  it("reduce text to content words, stemmed", () => {
    expect([...contentWords("The Charges were charged, I'm charging")]).toEqual(["charg"]);
  });
});
