import Link from "next/link";
import { env } from "@/lib/env";
import { AccountNav } from "./account-nav";

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="container header-row">
        <Link href="/" className="brand">
          {env().BRAND_NAME}
        </Link>
        <nav aria-label="Main">
          <ul className="nav-list">
            <li>
              <Link href="/notice">Notice</Link>
            </li>
            <li>
              <Link href="/support/contact">Contact support</Link>
            </li>
            <AccountNav />
          </ul>
        </nav>
      </div>
    </header>
  );
}
