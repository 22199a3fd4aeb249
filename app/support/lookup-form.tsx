// The customer lookup: a plain GET form (works without JavaScript) to the
// results page, which goes straight to the customer on an exact address.
export function LookupForm({ text = "", error }: { text?: string; error?: string }) {
  return (
    <form method="get" action="/support/customers" className="form narrow" role="search" aria-label="Find a customer">
      <div className="field">
        <label htmlFor="customer-email">Customer email</label>
        <p id="customer-email-hint" className="hint">
          The whole address, the start of it, or the start of the customer&apos;s name.
        </p>
        <input
          id="customer-email"
          name="q"
          type="search"
          required
          maxLength={254}
          autoComplete="off"
          defaultValue={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "customer-email-hint customer-email-error" : "customer-email-hint"}
        />
        {error ? (
          <p id="customer-email-error" className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div>
        <button type="submit">Find customer</button>
      </div>
    </form>
  );
}
