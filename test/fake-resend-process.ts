// The local Resend-compatible server (test/fake-resend.ts) in a child process:
// the provider is remote in production, so a benchmark must not let it share
// the app's event loop. Inbound emails are built here (inboundEmail) and handed
// over by IPC; the child answers the SDK over HTTP exactly as in-process.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { GetReceivingEmailResponseSuccess } from "resend";
import { inboundEmail, type InboundInput } from "./fake-resend";

export type FakeResendProcess = {
  url: string;
  pid: number;
  /** builds each inbound email, stores them all at the child, and returns them */
  receive(inputs: readonly InboundInput[]): Promise<GetReceivingEmailResponseSuccess[]>;
  /** how many emails the child has accepted for sending (replays add nothing) */
  sentCount(): Promise<number>;
  close(): Promise<void>;
};

type Answer = { id: number; url?: string; sent?: number; error?: string };

export async function startFakeResendProcess(options: { keepBodies?: boolean } = {}): Promise<FakeResendProcess> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, "fake-resend-child.ts"), [JSON.stringify(options)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  let next = 0;
  child.on("message", (a: Answer) => {
    const w = waiting.get(a.id);
    waiting.delete(a.id);
    if (a.error) w?.reject(new Error(a.error));
    else w?.resolve(a);
  });
  child.on("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`the fake Resend process exited (${code})`));
    waiting.clear();
  });
  const ask = (message: Record<string, unknown>) =>
    new Promise<Answer>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.send({ ...message, id });
    });
  const { url } = await ask({ type: "ready" });
  return {
    url: url!,
    pid: child.pid!,
    async receive(inputs) {
      const emails = inputs.map(inboundEmail);
      await ask({ type: "store", emails });
      return emails;
    },
    sentCount: async () => (await ask({ type: "sent" })).sent!,
    close: async () => {
      if (child.exitCode !== null) return;
      await ask({ type: "close" }).catch(() => {});
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
    },
  };
}
