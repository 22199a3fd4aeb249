import type { PasskeyRow } from "@/lib/passkeys";
import { AddPasskeyButton } from "./add-passkey";
import { removePasskeyAction, renamePasskeyAction } from "./passkey-actions";

function formatDate(date: Date) {
  return date.toUTCString().replace("GMT", "UTC");
}

const notices: Record<string, string> = {
  added: "Passkey added. Next time, sign in with it: no password needed.",
  removed: "The passkey was removed.",
  renamed: "The passkey was renamed.",
  unnamed: "Give the passkey a name of at least one letter.",
  later: "We will not offer a passkey again. You can add one here whenever you like.",
};

export function PasskeysSection({ keys, offerShown, status }: { keys: PasskeyRow[]; offerShown: boolean; status?: string }) {
  return (
    <section aria-labelledby="passkeys" className="stack">
      <h2 id="passkeys">Passkeys</h2>
      {status && notices[status] ? (
        <p className="status status-ok" role="status">
          {notices[status]}
        </p>
      ) : null}
      {keys.length === 0 ? <p>You have no passkeys yet.</p> : null}
      <ul className="stack plain-list">
        {keys.map((key) => {
          const labelId = `passkey-${key.id}`;
          const fieldId = `passkey-name-${key.id}`;
          return (
            <li key={key.id} className="panel stack" aria-labelledby={labelId}>
              <p>
                <strong id={labelId}>{key.name}</strong>
                <span className="muted">
                  {" "}
                  · added <time dateTime={key.createdAt.toISOString()}>{formatDate(key.createdAt)}</time>
                  {key.lastUsedAt ? (
                    <>
                      {" "}
                      · last used <time dateTime={key.lastUsedAt.toISOString()}>{formatDate(key.lastUsedAt)}</time>
                    </>
                  ) : null}
                </span>
              </p>
              <form action={renamePasskeyAction} className="inline-form">
                <input type="hidden" name="passkeyId" value={key.id} />
                <label htmlFor={fieldId}>Passkey name</label>{" "}
                <input id={fieldId} name="name" type="text" defaultValue={key.name} maxLength={60} required />{" "}
                <button type="submit" className="secondary">
                  Rename
                </button>
              </form>
              <form action={removePasskeyAction}>
                <input type="hidden" name="passkeyId" value={key.id} />
                <button type="submit" className="secondary" aria-describedby={labelId}>
                  Remove
                </button>
              </form>
            </li>
          );
        })}
      </ul>
      {offerShown ? null : <AddPasskeyButton />}
    </section>
  );
}
