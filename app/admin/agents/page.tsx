import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { listStaff } from "@/lib/support";
import { When } from "../../support/_lib/format";
import "../../support/desk.css";
import { AgentState, InviteForm } from "./agent-forms";

export const metadata: Metadata = { title: "Agents", robots: { index: false } };

export default async function AgentsPage() {
  const admin = await requireRole("admin", "/admin/agents");
  const staff = await listStaff(await getDb(), admin.id);
  return (
    <div className="stack">
      <h1>Agents</h1>
      <p>
        Agents answer the support desk. An invited agent chooses a password through a one-time link sent to their
        address; disabling an agent signs them out everywhere at once.
      </p>
      <h2>Invite an agent</h2>
      <InviteForm />
      <h2 id="staff-heading">Agents and admins</h2>
      <div className="table-wrap">
        <table aria-labelledby="staff-heading">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Password set</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.email}
                  {s.name ? <span className="muted"> · {s.name}</span> : null}
                </td>
                <td>{s.role}</td>
                <td>{s.passwordChangedAt ? <When at={s.passwordChangedAt} /> : "Invited, not yet"}</td>
                <td>
                  {s.role === "agent" ? (
                    <AgentState agentId={s.id} email={s.email} disabled={s.disabledAt?.toISOString() ?? null} />
                  ) : s.disabledAt ? (
                    "Disabled"
                  ) : (
                    "Active"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
