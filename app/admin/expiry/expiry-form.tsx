"use client";
import { useActionState } from "react";
import { reviewExpiryAction, startExpiryAction, type ExpiryFormState } from "./actions";

export function ExpiryForm() {
  const [review, reviewAction, reviewing] = useActionState(reviewExpiryAction, {} as ExpiryFormState);
  const [start, startAction, starting] = useActionState(startExpiryAction, {} as ExpiryFormState);
  const confirm = review.confirm;
  return (
    <div className="stack">
      <form action={reviewAction} className="form narrow">
        <fieldset className="field">
          <legend>Whose passwords</legend>
          <label><input type="radio" name="scope" value="customers" defaultChecked /> All customers</label>
          <label><input type="radio" name="scope" value="everyone" /> Everyone (customers, agents and admins — you too)</label>
          <label><input type="radio" name="scope" value="emails" /> A list of emails</label>
        </fieldset>
        <div className="field">
          <label htmlFor="expiry-emails">Email addresses</label>
          <textarea id="expiry-emails" name="emails" rows={4} aria-describedby="expiry-emails-hint" />
          <span id="expiry-emails-hint" className="hint">For a list: separated by commas, spaces or new lines.</span>
        </div>
        <div className="field">
          <label>
            <input type="checkbox" name="clearPasskeys" aria-describedby="clear-passkeys-hint" /> Also remove their passkeys
          </label>
          <span id="clear-passkeys-hint" className="hint">
            Only when the attacker could write to the database (and may have added a passkey of their own): customers
            then need a new password and a new passkey.
          </span>
        </div>
        <div>
          <button type="submit" className="button button-secondary" disabled={reviewing}>Review</button>
        </div>
        {review.formError ? <p className="status status-bad" role="alert">{review.formError}</p> : null}
      </form>
      {confirm ? (
        <form action={startAction} className="panel stack" aria-labelledby="confirm-expiry">
          <h2 id="confirm-expiry">Confirm the expiry</h2>
          <p role="status">
            This will expire the passwords of <strong>{confirm.notYetExpired.toLocaleString("en-US")}</strong>{" "}
            {confirm.notYetExpired === 1 ? "account" : "accounts"} ({confirm.description}
            {confirm.inScope !== confirm.notYetExpired
              ? `; ${(confirm.inScope - confirm.notYetExpired).toLocaleString("en-US")} already expired keep their date`
              : ""}
            ). Their sessions are blocked at their next request and earlier reset links stop working.
            {confirm.clearPasskeys ? " Every passkey of these accounts is removed, and their passkey sessions end." : ""}
          </p>
          <input type="hidden" name="confirmedScope" value={JSON.stringify(confirm.scope)} />
          <input type="hidden" name="confirmedClearPasskeys" value={String(confirm.clearPasskeys)} />
          <div>
            <button type="submit" className="button button-danger" disabled={starting}>Expire passwords</button>
          </div>
          {start.formError ? <p className="status status-bad" role="alert">{start.formError}</p> : null}
        </form>
      ) : null}
    </div>
  );
}
