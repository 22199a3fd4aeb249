// Child side of test/fake-resend-process.ts: one local Resend-compatible server, driven by IPC.
import { startFakeResend } from "./fake-resend";

const options = JSON.parse(process.argv[2] ?? "{}") as { keepBodies?: boolean };
const fakeReady = startFakeResend(options);

process.on("message", async (m: { id: number; type: string; emails?: never[] }) => {
  const fake = await fakeReady;
  const answer = (body: Record<string, unknown>) => process.send!({ id: m.id, ...body });
  try {
    if (m.type === "ready") answer({ url: fake.url });
    else if (m.type === "store") {
      fake.store(m.emails ?? []);
      answer({});
    } else if (m.type === "sent") answer({ sent: fake.sent.length });
    else if (m.type === "close") {
      await fake.close();
      answer({});
      process.disconnect();
    } else answer({ error: `unknown message ${m.type}` });
  } catch (error) {
    answer({ error: (error as Error).message });
  }
});
