// Every admin page: the role is checked here and again by each page and action.
import Link from "next/link";
import { requireRole } from "@/lib/auth/guards";

const LINKS = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/notice", label: "Notice" },
  { href: "/admin/expiry", label: "Expiry" },
  { href: "/admin/campaigns", label: "Campaigns" },
  { href: "/admin/agents", label: "Agents" },
  { href: "/admin/topics", label: "Topics" },
  { href: "/admin/saved-replies", label: "Saved replies" },
];

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireRole("admin", "/admin");
  return (
    <div className="stack">
      <nav aria-label="Admin">
        <ul style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem 1.25rem", listStyle: "none", padding: 0, margin: 0 }}>
          {LINKS.map((l) => (
            <li key={l.href}>
              <Link href={l.href}>{l.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}
