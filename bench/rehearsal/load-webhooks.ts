// A sample of the campaign's webhooks through the real signed path: Svix-signed
// events over HTTP to the built app (the SDK's verification, the replay check,
// the updates), each the outcome the set-based rest would have given it.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { svixHeaders } from "@/lib/webhooks/sign";
import { campaignId, outcomeOf, type Shares } from "./outcomes";
import { progress, round, step, timed, type Figures } from "./steps";

/** Signed webhooks over HTTP to the built app (its Svix verification, replay check, updates). */
export async function webhooksThroughRealPath(db: Db, options: { appUrl: string; secret: string; sample: number; shares: Shares }): Promise<Figures> {
  return step(db, "webhooks-real", `Webhooks: ${options.sample.toLocaleString("en-US")} signed events over HTTP to the app`, async () => {
    const id = await campaignId(db);
    const rows = rowsOf<{ user_id: string; email: string; provider_message_id: string }>(
      await db.execute(sql`
        select user_id, email, provider_message_id from campaign_recipients
        where campaign_id = ${id} and status = 'sent' and provider_message_id is not null order by id limit ${options.sample}`),
    );
    const outcomes = rowsOf<{ user_id: string; outcome: string }>(
      await db.execute(sql`select u.id as user_id, ${outcomeOf(sql.raw("u.id"), options.shares)} as outcome
        from users u where u.id in (${sql.join(rows.length ? rows.map((r) => sql`${Number(r.user_id)}`) : [sql`null`], sql`, `)})`),
    );
    const outcomeFor = new Map(outcomes.map((o) => [String(o.user_id), o.outcome === "sent" ? "delivered" : o.outcome]));
    const statuses: Record<string, number> = {};
    let next = 0;
    const show = progress("webhooks answered", rows.length);
    const { seconds } = await timed(() =>
      Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < rows.length) {
            const r = rows[next++];
            const outcome = outcomeFor.get(String(r.user_id)) ?? "delivered";
            const body = JSON.stringify({
              type: `email.${outcome}`,
              created_at: new Date().toISOString(),
              data: {
                email_id: r.provider_message_id,
                to: [r.email],
                from: "notice@example.com",
                subject: "Notice of Data Breach",
                created_at: new Date().toISOString(),
                ...(outcome === "bounced" ? { bounce: { type: "Permanent", subType: "General", message: "Mailbox does not exist" } } : {}),
              },
            });
            const answer = await fetch(`${options.appUrl}/api/webhooks/resend`, { method: "POST", headers: svixHeaders(options.secret, body), body });
            await answer.arrayBuffer();
            statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
            show(next);
          }
        }),
      ),
    );
    show(rows.length, true);
    if ((statuses[200] ?? 0) !== rows.length) throw new Error(`webhooks answered ${JSON.stringify(statuses)}`);
    return { events: rows.length, seconds: round(seconds, 1), eventsPerSecond: round(rows.length / seconds, 1), statuses };
  });
}
