import { describe, expect, it } from "vitest";
import { parseTopic, topicForEmail } from "./topics";

describe("topics", () => {
  it("files email by the first matching keyword rule", () => {
    expect(topicForEmail("Is this real?", "Got a phishing-looking mail about my card")).toBe("genuine");
    expect(topicForEmail("Refund", "")).toBe("card");
    expect(topicForEmail("", "I can't log in after the reset")).toBe("sign-in");
    expect(topicForEmail("Hello", "Thanks")).toBe("other");
  });
  it("accepts only the stable keys", () => {
    expect(parseTopic("card")).toBe("card");
    expect(parseTopic("Card")).toBeUndefined();
  });
});
