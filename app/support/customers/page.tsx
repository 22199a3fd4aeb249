import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { findCustomers, LOOKUP_LIMIT } from "@/lib/support";
import { DeskNav } from "../_lib/format";
import { LookupForm } from "../lookup-form";

export const metadata: Metadata = { title: "Find a customer", robots: { index: false } };

export default async function CustomerLookupPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const { q } = await searchParams;
  const text = Array.isArray(q) ? q[0] : q;
  // Signed out, the sign-in brings the agent back to this lookup.
  const agent = await requireRole("agent", text === undefined ? "/support/customers" : `/support/customers?q=${encodeURIComponent(text)}`);
  const found = text === undefined ? null : await findCustomers(await getDb(), agent.id, text);
  if (found?.ok && found.exact !== null) redirect(`/support/customers/${found.exact}`);

  return (
    <div className="stack">
      <DeskNav current="other" />
      <h1>Find a customer</h1>
      <LookupForm text={found?.ok ? found.text : ""} error={found && !found.ok ? found.error : undefined} />
      {found?.ok ? (
        found.matches.length === 0 ? (
          <p role="status">No customer account matches “{found.text}”. Check the spelling, or type less of it.</p>
        ) : (
          <>
            <h2 id="matches-heading">Customers matching “{found.text}”</h2>
            <p role="status">
              {found.more
                ? `The first ${LOOKUP_LIMIT} by address and name: type more to narrow it down.`
                : `${found.matches.length} ${found.matches.length === 1 ? "customer" : "customers"}.`}
            </p>
            <div className="table-wrap">
              <table aria-labelledby="matches-heading">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Name</th>
                    <th scope="col">Password</th>
                  </tr>
                </thead>
                <tbody>
                  {found.matches.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <Link href={`/support/customers/${m.id}`}>{m.email}</Link>
                      </td>
                      <td>{m.name ?? <span className="muted">no name</span>}</td>
                      <td>{m.passwordExpired ? "Expired" : "Not expired"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      ) : null}
    </div>
  );
}
