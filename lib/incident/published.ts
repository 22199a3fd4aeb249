// The published notice and the banner, read through Next's data cache and
// tagged "notice": publishing calls revalidateNotice(), which expires them at
// once on this instance. The time-based lifetime bounds how long another
// instance (whose cache the publish did not reach) can lag behind: see
// docs/decisions/0003-notice-caching.md.
import { revalidatePath, revalidateTag, unstable_cache, updateTag } from "next/cache";
import { getDb } from "@/db/client";
import { loadPublishedNotice, type PublishedNotice } from "./notice";

export const NOTICE_CACHE_TAG = "notice";
/** Seconds another instance, or a CDN, may serve a notice older than the latest publish. */
export const NOTICE_REVALIDATE_SECONDS = 60;

const building = () => process.env.NEXT_PHASE === "phase-production-build";

const cachedNotice = unstable_cache(async () => loadPublishedNotice(await getDb()), ["published-notice-v1"], {
  tags: [NOTICE_CACHE_TAG],
  revalidate: NOTICE_REVALIDATE_SECONDS,
});

/**
 * The published notice, or null when none is. During `next build` there is no
 * database: null, and nothing is cached (the page is rendered at first request).
 */
export async function getPublishedNotice(): Promise<PublishedNotice | null> {
  if (building()) return null;
  return cachedNotice();
}

/** Whether an incident notice is published, for the site-wide banner. */
export async function getNoticeBanner(): Promise<{ published: boolean; publishedAt: string | null }> {
  const notice = await getPublishedNotice();
  return { published: Boolean(notice), publishedAt: notice?.publishedAt ?? null };
}

/**
 * After a publish, from the server action: the cached data and the cached
 * /notice page expire now, so the next reader gets the new revision.
 */
export function revalidateNotice() {
  updateTag(NOTICE_CACHE_TAG);
  revalidatePath("/notice");
  // server.mjs's in-memory copy of /notice (lib/http/notice-memory.mjs), same process.
  noticeMemory()?.invalidate();
}

/**
 * Outside a server action (the notice-version route, when another instance
 * published): expire the data and the page now (an expire of 0 means the next
 * reader waits for a fresh render, as after a publish here).
 */
export function expireNoticeElsewhere() {
  revalidateTag(NOTICE_CACHE_TAG, { expire: 0 });
  revalidatePath("/notice");
}

function noticeMemory() {
  return (globalThis as { __resetDeskNoticeMemory?: { invalidate: () => void } }).__resetDeskNoticeMemory;
}
