import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { formatDateTime } from "@/lib/incident/dates";
import { noticeForEditing } from "@/lib/incident/notice";
import { NoticeEditor } from "./notice-editor";

export const metadata: Metadata = { title: "Edit the notice" };

export default async function AdminNoticePage({ searchParams }: { searchParams: Promise<{ published?: string }> }) {
  const admin = await requireRole("admin", "/admin/notice");
  const data = await noticeForEditing(await getDb(), admin);
  const { published } = await searchParams;
  const justPublished = typeof published === "string" && /^\d{1,15}$/.test(published) ? published : null;
  const [latest, ...earlier] = data.revisions;
  return (
    <div className="stack">
      <h1>Edit the notice</h1>
      {justPublished ? (
        <p role="status" className="status status-ok">
          Revision {justPublished} is published. Readers of <Link href="/notice">the notice</Link> see it now.
        </p>
      ) : null}
      <p className="muted">
        Sections and answers accept a little Markdown: blank lines between paragraphs, lines starting with “- ” for
        lists, **bold**, *italic* and [links](https://example.com). HTML is shown as typed, never run. Every publish
        is a new revision.
      </p>
      <NoticeEditor key={latest?.id ?? 0} initial={data.form} updates={data.updates} />

      <section aria-labelledby="revisions-heading" className="stack">
        <h2 id="revisions-heading">Revisions</h2>
        {latest ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Published</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {[latest, ...earlier].map((r, i) => (
                  <tr key={r.id}>
                    <td>
                      <Link href={`/admin/notice/revisions/${r.id}`}>Revision {r.id}</Link>
                      {i === 0 ? <span className="tag"> current</span> : null}
                    </td>
                    <td>
                      {r.publishedAt ? <time dateTime={r.publishedAt}>{formatDateTime(r.publishedAt)}</time> : "Draft"}
                    </td>
                    <td>{r.publishedBy ?? "Seeded"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Nothing is published yet.</p>
        )}
      </section>
    </div>
  );
}
