// The local Resend-compatible server's rate limit (used by the rehearsal to
// run a campaign at a set provider rate): past N sending calls in a second it
// answers 429 with retry-after, through the real SDK, and accepts again later.
import { afterEach, describe, expect, it } from "vitest";
import { Resend } from "resend";
import { startFakeResend, type FakeResend } from "./fake-resend";

let fake: FakeResend | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const email = (i: number) => ({ from: "notice@example.com", to: `c${i}@example.com`, subject: "Notice", text: "Hello" });

describe("fake Resend at a set provider rate", () => {
  it("refuses the calls past the rate with 429 and retry-after, then accepts again", async () => {
    fake = await startFakeResend({ callsPerSecond: 2, keepBodies: false });
    const resend = new Resend("re_test", { baseUrl: fake.url } as never);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await resend.batch.send([email(i)]));
    expect(answers.slice(0, 2).every((a) => a.error === null)).toBe(true);
    expect(answers[2].error?.name).toBe("rate_limit_exceeded");
    expect(fake.calls.map((c) => c.status)).toEqual([200, 200, 429]);
    expect(fake.sent).toHaveLength(2);

    await new Promise((r) => setTimeout(r, 1050));
    const later = await resend.batch.send([email(9)]);
    expect(later.error).toBeNull();
    expect(fake.sent).toHaveLength(3);
  });

  it("has no limit unless one is set", async () => {
    fake = await startFakeResend({ keepBodies: false });
    const resend = new Resend("re_test", { baseUrl: fake.url } as never);
    for (let i = 0; i < 10; i++) expect((await resend.batch.send([email(i)])).error).toBeNull();
    expect(fake.sent).toHaveLength(10);
  });
});
