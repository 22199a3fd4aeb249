// The fetch thread runs the real Resend SDK against the local Resend-compatible
// server, answers in the order asked, and holds a process open only while it
// fetches (the bench and CLIs exit when their work is done).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeResend, type FakeResend } from "@/test/fake-resend";
import { runScript } from "@/test/run-script";
import { fetchOnThread } from "./fetch-thread";

let fake: FakeResend;
beforeAll(async () => {
  fake = await startFakeResend();
});
afterAll(() => fake.close());

describe("the inbound fetch thread", () => {
  it("fetches through the SDK, in the order asked, with each failure as it came", async () => {
    const [a, b] = [
      fake.receive({ from: "a@customers.example", to: ["support@desk.example"], text: "first" }),
      fake.receive({ from: "b@customers.example", to: ["support@desk.example"], text: "second" }),
    ];
    const answers = await fetchOnThread({ key: "re_test", baseUrl: fake.url, emailIds: [b.id, "missing", a.id], concurrency: 3 });
    expect(answers[0]).toMatchObject({ data: { id: b.id, text: "second" } });
    expect(answers[1]).toMatchObject({ error: { statusCode: 404 } });
    expect(answers[2]).toMatchObject({ data: { id: a.id, text: "first" } });
    fake.failReceiving(1);
    expect(await fetchOnThread({ key: "re_test", baseUrl: fake.url, emailIds: [a.id], concurrency: 1 })).toEqual([
      { error: expect.objectContaining({ statusCode: 500 }) },
    ]);
  });

  it("keeps a process alive while it fetches, and never after", async () => {
    const stored = fake.receive({ from: "c@customers.example", to: ["support@desk.example"], text: "third" });
    fake.delayReceiving(300); // the answer comes after the script has nothing else to wait for
    const run = await runScript(`
      const { fetchOnThread } = require(${JSON.stringify(path.join(process.cwd(), "lib/support/inbound/fetch-thread.ts"))});
      const [answer] = await fetchOnThread({ key: "re_test", baseUrl: ${JSON.stringify(fake.url)}, emailIds: [${JSON.stringify(stored.id)}], concurrency: 1 });
      console.log(answer.data.text);
    `);
    fake.delayReceiving(0);
    expect(run).toEqual({ code: 0, stdout: "third\n", timedOut: false });
  }, 30_000);
});
