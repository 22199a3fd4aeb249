// Two app instances on two ports sharing one PostgreSQL (SPEC 7: stateless
// instances). Sessions ended on one are dead on the other; rate limits count
// across both. Starts its own database (DATABASE_URL's server, else a
// throwaway cluster; the spec fails with the reason when neither is possible) and
// its own two production servers, beside Playwright's usual one.
import http from "node:http";
import { expect, test } from "@playwright/test";
import { sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { hasProductionBuild, startAppServer, type AppServer } from "@/test/app-server";
import { postgresForSpec } from "@/test/pg-cluster";
import { cookiesOf } from "@/bench/lib/form";
import { httpRequest } from "@/bench/lib/load";
import { resetOnce } from "@/bench/lib/reset";
import { BENCH_PASSWORD, newPassword, resetEmail, seedBench, signInEmail } from "@/bench/lib/seed";
import { prepareSignIn } from "@/bench/lib/signin";
import { submitForm } from "@/bench/lib/form";

const PORT_A = Number(process.env.TWO_INSTANCES_PORT_A || 3511);
const PORT_B = Number(process.env.TWO_INSTANCES_PORT_B || 3512);
const PG_PORT = Number(process.env.TWO_INSTANCES_PG_PORT || 3517);
const PER_ACCOUNT_LIMIT = 4;

process.env.AUTH_SECRET ||= "two-instances-secret-two-instances-secret-0123";
process.env.APP_URL ||= `http://localhost:${PORT_A}`;

test.describe.configure({ mode: "serial" });

let a: AppServer | undefined;
let b: AppServer | undefined;
let cleanup: () => Promise<void> = async () => {};
let databaseUrl = "";
let tokens: string[] = [];
const agent = new http.Agent({ keepAlive: true });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  expect(hasProductionBuild(), "no production build (.next): npm test builds first").toBe(true);
  const database = await postgresForSpec(PG_PORT);
  databaseUrl = database.url;
  cleanup = database.cleanup;
  const handle = await connect({ databaseUrl });
  ({ tokens } = await seedBench(handle.db, { signIn: 10, reset: 3 }));
  await handle.close();
  const env = {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: process.env.AUTH_SECRET!,
    RATE_LIMIT_SIGNIN_PER_ACCOUNT: String(PER_ACCOUNT_LIMIT),
  };
  [a, b] = await Promise.all([startAppServer({ port: PORT_A, env }), startAppServer({ port: PORT_B, env })]);
});

test.afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  agent.destroy();
  await cleanup();
});

async function signInOn(server: AppServer, email: string, password: string) {
  const form = await prepareSignIn(agent, server.url);
  expect(form, "the /login form").not.toBeNull();
  return submitForm(agent, `${server.url}/login`, form!, { email, password });
}

/** 200 when the session cookie opens /account on that instance; a redirect to /login when it is dead. */
async function accountStatus(server: AppServer, cookie: string) {
  const reply = await httpRequest(agent, `${server.url}/account`, { headers: { cookie } });
  return { status: reply.status, location: String(reply.headers.location ?? "") };
}

test("a session from instance A works on B, and dies on B when the password changes through A", async () => {
  // The reset links were issued for customer-r0..2; sign in as customer-r0 with its seeded password.
  const signedIn = await signInOn(a!, resetEmail(0), BENCH_PASSWORD);
  expect(signedIn.status).toBe(303);
  const cookie = cookiesOf(signedIn);
  expect(cookie).toMatch(/session-token=/);
  expect((await accountStatus(b!, cookie)).status).toBe(200);

  const reset = await resetOnce(agent, a!.url, tokens[0], newPassword(0));
  expect(reset?.kind).toBe("reset");

  const after = await accountStatus(b!, cookie);
  expect(after.status).not.toBe(200);
  expect(after.location).toMatch(/\/login/);
  expect((await accountStatus(a!, cookie)).location).toMatch(/\/login/);
});

test("sessions ended for an account (session version moved on) die on both instances", async () => {
  const onB = cookiesOf(await signInOn(b!, signInEmail(1), BENCH_PASSWORD));
  const onA = cookiesOf(await signInOn(a!, signInEmail(1), BENCH_PASSWORD));
  expect((await accountStatus(a!, onB)).status).toBe(200);
  expect((await accountStatus(b!, onA)).status).toBe(200);
  // What end-sessions does (SPEC 4.1): the account's session version moves on.
  const handle = await connect({ databaseUrl, migrate: false });
  await handle.db.execute(sql`update users set session_version = session_version + 1 where email = ${signInEmail(1)}`);
  await handle.close();
  for (const [server, cookie] of [[a!, onB], [b!, onA], [a!, onA], [b!, onB]] as const) {
    expect((await accountStatus(server, cookie)).location).toMatch(/\/login/);
  }
});

test("the per-account sign-in limit counts attempts on both instances together", async () => {
  const email = signInEmail(2);
  const answers: string[] = [];
  for (let i = 0; i < PER_ACCOUNT_LIMIT + 1; i++) {
    const server = i % 2 === 0 ? a! : b!;
    const reply = await signInOn(server, email, "not the right password at all");
    answers.push(reply.status === 303 ? String(reply.headers.location) : String(reply.status));
  }
  // Four wrong attempts (two on each instance) are answered as such; the fifth is over the shared limit.
  expect(answers.slice(0, PER_ACCOUNT_LIMIT)).toEqual(Array(PER_ACCOUNT_LIMIT).fill("200"));
  expect(answers[PER_ACCOUNT_LIMIT]).toMatch(/\/rate-limited\?retry=\d+/);
  // And the limit holds on the other instance too, even for the right password.
  const right = await signInOn(a!, email, BENCH_PASSWORD);
  expect(String(right.headers.location)).toMatch(/\/rate-limited/);
});

// Two campaign workers on one database: lib/campaigns/exactly-once.test.ts
// (worker processes, one SIGKILLed, every recipient exactly once).
