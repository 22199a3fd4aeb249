import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { NoticeBanner } from "./_components/notice-banner";
import { SiteHeader } from "./_components/site-header";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const brand = env().BRAND_NAME;
  return {
    title: { default: brand, template: `%s · ${brand}` },
    description: `${brand}: security notice, password reset and support.`,
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the headers makes every page render per request, with its nonce.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const brandColor = env().BRAND_COLOR;
  return (
    <html lang="en">
      <head>
        <style nonce={nonce}>{`:root{--brand:${brandColor};}`}</style>
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <NoticeBanner />
        <SiteHeader />
        <main id="main" className="container main">
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>
              {env().BRAND_NAME} · Need help? <a href="/support/contact">Contact support</a> or write to{" "}
              <a href={`mailto:${env().SUPPORT_EMAIL}`}>{env().SUPPORT_EMAIL}</a>.
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
