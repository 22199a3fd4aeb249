import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { formatDateTime } from "@/lib/incident/dates";
import { revisionForAdmin } from "@/lib/incident/notice";
import { NoticeDocument } from "@/app/(public)/notice/notice-document";

export const metadata: Metadata = { title: "Notice revision" };

export default async function RevisionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const admin = await requireRole("admin", `/admin/notice/revisions/${encodeURIComponent(id)}`);
  const revision = /^\d{1,15}$/.test(id) ? await revisionForAdmin(await getDb(), admin, Number(id)) : null;
  if (!revision) notFound();
  return (
    <div className="stack">
      <h1>Notice revision {revision.id}</h1>
      <p className="muted">
        {revision.publishedAt ? (
          <>
            Published <time dateTime={revision.publishedAt}>{formatDateTime(revision.publishedAt)}</time>
          </>
        ) : (
          "Not published"
        )}
        {revision.publishedBy ? ` by ${revision.publishedBy}` : ""}. <Link href="/admin/notice">Back to the editor</Link>
      </p>
      <div className="panel">
        <NoticeDocument
          top={2}
          data={{
            title: `As published in revision ${revision.id}`,
            discoveredAt: null,
            breachStartedAt: null,
            breachEndedAt: null,
            noticeDate: null,
            lastUpdatedAt: revision.publishedAt,
            sections: revision.sections,
            faq: revision.faq,
            updates: null,
          }}
        />
      </div>
    </div>
  );
}
