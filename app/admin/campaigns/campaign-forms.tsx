"use client";
import { useActionState } from "react";
import {
  createCampaignAction,
  pauseCampaignAction,
  startCampaignAction,
  type CampaignFormState,
} from "./actions";

const initial: CampaignFormState = { ok: true };

function Status({ state }: { state: CampaignFormState }) {
  if (state.formError) return <p className="status status-bad" role="alert">{state.formError}</p>;
  if (state.message) return <p className="status status-ok" role="status">{state.message}</p>;
  return null;
}

export function CreateCampaignForm() {
  const [state, action, pending] = useActionState(createCampaignAction, initial);
  return (
    <form action={action} className="form narrow">
      <div className="field">
        <label htmlFor="campaign-name">Campaign name</label>
        <input id="campaign-name" name="name" required maxLength={120} defaultValue="Breach notice" />
      </div>
      <fieldset className="field">
        <legend>Who receives it</legend>
        <label><input type="radio" name="scope" value="customers" defaultChecked /> All customers</label>
        <label><input type="radio" name="scope" value="everyone" /> Everyone (customers, agents and admins)</label>
        <label><input type="radio" name="scope" value="emails" /> A list of emails</label>
      </fieldset>
      <div className="field">
        <label htmlFor="campaign-emails">Email addresses (for a list)</label>
        <textarea id="campaign-emails" name="emails" rows={3} aria-describedby="campaign-emails-hint" />
        <span id="campaign-emails-hint" className="hint">Separated by commas, spaces or new lines; up to 1,000.</span>
      </div>
      <div>
        <button type="submit" className="button" disabled={pending}>Create campaign</button>
      </div>
      <Status state={state} />
    </form>
  );
}

export function CampaignControls({ campaignId, status }: { campaignId: number; status: string }) {
  const [startState, start, starting] = useActionState(startCampaignAction, initial);
  const [pauseState, pause, pausing] = useActionState(pauseCampaignAction, initial);
  return (
    <div className="stack">
      <div style={{ display: "flex", gap: "0.75rem", flexWrap: "wrap" }}>
        {status === "draft" || status === "paused" ? (
          <form action={start}>
            <input type="hidden" name="campaignId" value={campaignId} />
            <button type="submit" className="button" disabled={starting}>Start campaign</button>
          </form>
        ) : null}
        {status === "running" ? (
          <form action={pause}>
            <input type="hidden" name="campaignId" value={campaignId} />
            <button type="submit" className="button button-secondary" disabled={pausing}>Pause campaign</button>
          </form>
        ) : null}
      </div>
      <Status state={startState.formError || startState.message ? startState : pauseState} />
    </div>
  );
}
