import Link from "next/link";
import { env } from "@/lib/env";

export default function Home() {
  return (
    <div className="stack">
      <h1>{env().BRAND_NAME} account help</h1>
      <p className="lead">
        We have reset every customer password after a security incident. Here is what you can do now.
      </p>
      <ul className="cards">
        <li className="card">
          <h2>Read what happened</h2>
          <p>What was taken, what we are doing, and what you should do.</p>
          <Link href="/notice">Notice of Data Breach</Link>
        </li>
        <li className="card">
          <h2>Set a new password</h2>
          <p>We will email you a link to choose a new password.</p>
          <Link href="/forgot-password">Reset your password</Link>
        </li>
        <li className="card">
          <h2>Talk to a person</h2>
          <p>Our phone lines are busy; our support team answers every message.</p>
          <Link href="/support/contact">Contact support</Link>
        </li>
      </ul>
    </div>
  );
}
