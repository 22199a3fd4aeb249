import Link from "next/link";
import { getNoticeBanner } from "@/lib/incident/published";

export async function NoticeBanner() {
  const banner = await getNoticeBanner().catch(() => ({ published: false }));
  if (!banner.published) return null;
  return (
    <div role="region" aria-label="Security notice" className="notice-banner">
      <p>
        We recently learned that some customer data was stolen. All passwords have been reset.{" "}
        <Link href="/notice">Read our notice</Link>
      </p>
    </div>
  );
}
