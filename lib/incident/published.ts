// Whether an incident notice is published, for the site-wide banner. Cached
// and tagged "notice" so that publishing revalidates it at once; the short
// lifetime keeps other app instances within seconds of a publish.
import { unstable_cache } from "next/cache";
import { desc, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { noticeRevisions } from "@/db/schema";

export const NOTICE_CACHE_TAG = "notice";

async function loadBanner(): Promise<{ published: boolean; publishedAt: string | null }> {
  const db = await getDb();
  const [latest] = await db
    .select({ publishedAt: noticeRevisions.publishedAt })
    .from(noticeRevisions)
    .where(isNotNull(noticeRevisions.publishedAt))
    .orderBy(desc(noticeRevisions.publishedAt))
    .limit(1);
  return { published: Boolean(latest), publishedAt: latest?.publishedAt?.toISOString() ?? null };
}

export const getNoticeBanner = unstable_cache(loadBanner, ["notice-banner"], {
  tags: [NOTICE_CACHE_TAG],
  revalidate: 30,
});
