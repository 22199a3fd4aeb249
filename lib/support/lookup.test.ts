// The customer lookup: an exact address goes straight to the account; the
// start of an address or of a name lists at most 20, in order; agents never
// find staff; wildcards in what is typed are taken literally.
import { describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { uniqueEmail, withTestDb } from "@/test/db";
import { findCustomers, LOOKUP_LIMIT } from "./lookup";

const testDb = withTestDb();
const PASSWORD = "a quiet walk along the river";

describe("customer lookup", () => {
  it("finds by the whole address, the start of one, or the start of a name", async () => {
    const { db } = testDb();
    const agent = (await upsertUser(db, { email: uniqueEmail("lookup-agent"), role: "agent", password: PASSWORD })).id;
    const tag = `lk${Date.now().toString(36)}`;
    const rows = await db
      .insert(users)
      .values([
        { email: `${tag}.ann@shop.example`, name: "Annabel Quist", role: "customer" as const, passwordExpiredAt: new Date() },
        { email: `${tag}.bob@shop.example`, name: `Ångström ${tag}`, role: "customer" as const },
        { email: `${tag}.staff@shop.example`, name: `${tag} Staff`, role: "agent" as const },
        { email: `other-${tag}@shop.example`, name: `${tag}Zed`, role: "customer" as const },
      ])
      .returning({ id: users.id, email: users.email });

    expect(await findCustomers(db, agent, `  ${tag.toUpperCase()}.ANN@shop.example `)).toMatchObject({ ok: true, exact: rows[0].id });
    const prefix = await findCustomers(db, agent, `${tag}.`);
    expect(prefix).toMatchObject({ ok: true, exact: null, more: false });
    expect(prefix.ok && prefix.matches).toEqual([
      { id: rows[0].id, email: rows[0].email, name: "Annabel Quist", passwordExpired: true },
      { id: rows[1].id, email: rows[1].email, name: `Ångström ${tag}`, passwordExpired: false },
    ]);
    // By name, any case; then the address matches come first.
    const byName = await findCustomers(db, agent, tag.toUpperCase());
    expect(byName.ok && byName.matches.map((m) => m.id)).toEqual([rows[0].id, rows[1].id, rows[3].id]);
    const accented = await findCustomers(db, agent, `ångström ${tag}`);
    expect(accented.ok && accented.matches.map((m) => m.id)).toEqual([rows[1].id]);
    // The staff account is found by an admin only.
    const admin = (await upsertUser(db, { email: uniqueEmail("lookup-admin"), role: "admin", password: PASSWORD })).id;
    expect(await findCustomers(db, agent, rows[2].email)).toMatchObject({ ok: true, exact: null, matches: [] });
    expect(await findCustomers(db, admin, rows[2].email)).toMatchObject({ ok: true, exact: rows[2].id });
  });

  it("lists at most 20 and says there are more; wildcards are literal; empty input is an error", async () => {
    const { db } = testDb();
    const agent = (await upsertUser(db, { email: uniqueEmail("lookup-agent"), role: "agent", password: PASSWORD })).id;
    const tag = `many${Date.now().toString(36)}`;
    await db.insert(users).values(Array.from({ length: 25 }, (_, i) => ({ email: `${tag}-${String(i).padStart(2, "0")}@shop.example`, role: "customer" as const })));
    const many = await findCustomers(db, agent, tag);
    expect(many).toMatchObject({ ok: true, more: true });
    expect(many.ok && many.matches.map((m) => m.email)).toEqual(Array.from({ length: LOOKUP_LIMIT }, (_, i) => `${tag}-${String(i).padStart(2, "0")}@shop.example`));
    expect(await findCustomers(db, agent, `${tag.slice(0, 3)}_`)).toMatchObject({ ok: true, matches: [] });
    expect(await findCustomers(db, agent, "%")).toMatchObject({ ok: true, matches: [] });
    expect(await findCustomers(db, agent, "   ")).toMatchObject({ ok: false });
    expect(await findCustomers(db, agent, 42)).toMatchObject({ ok: false });
  });
});
