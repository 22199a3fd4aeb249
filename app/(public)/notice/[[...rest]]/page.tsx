// The public Notice of Data Breach (SPEC 3), at /notice. Rendered at its first
// request and then served from the cache (ISR): a spike of readers costs no
// database query. `force-static` makes the root layout's headers() empty, so
// the page carries no per-request nonce or session; proxy.ts gives /notice a
// CSP that runs no script at all, and the page needs none.
// Why an optional catch-all: a plain page would be prerendered by `next build`,
// which has no database and no runtime settings; a dynamic segment whose
// generateStaticParams lists nothing is rendered on demand, then cached.
// Only /notice itself is served (/notice/<more> is a 404, in proxy.ts too).
// See docs/decisions/0003-notice-caching.md.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { lastUpdatedAt } from "@/lib/incident/notice";
import { getPublishedNotice } from "@/lib/incident/published";
import { NoticeDocument } from "../notice-document";

export const dynamic = "force-static";
// Must be a literal; equals NOTICE_REVALIDATE_SECONDS (lib/incident/published.ts).
export const revalidate = 60;
export const dynamicParams = true;

export function generateStaticParams(): { rest?: string[] }[] {
  return [];
}

export const metadata: Metadata = {
  title: { absolute: "Notice of Data Breach" },
  description: "What happened, what information was involved, what we are doing and what you can do.",
};

export default async function NoticePage({ params }: { params: Promise<{ rest?: string[] }> }) {
  if ((await params).rest?.length) notFound();
  const notice = await getPublishedNotice();
  if (!notice) {
    return (
      <div className="narrow stack">
        <h1>Notice of Data Breach</h1>
        <p>No incident notice is published at the moment.</p>
      </div>
    );
  }
  return (
    <NoticeDocument
      data={{
        ...notice,
        lastUpdatedAt: lastUpdatedAt(notice),
        updates: notice.updates.map((u) => ({ key: String(u.id), postedAt: u.postedAt, body: u.body })),
      }}
    />
  );
}
