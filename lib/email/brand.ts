import type { EmailBrand } from "@/emails/layout";
import { env } from "@/lib/env";

export function emailBrand(): EmailBrand {
  const e = env();
  return { brandName: e.BRAND_NAME, supportEmail: e.SUPPORT_EMAIL, appUrl: e.APP_URL.replace(/\/$/, "") };
}

export function durationText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return minutes === 60 ? "1 hour" : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return `${hours} hours`;
}
