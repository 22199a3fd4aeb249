import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/guards";
import { listQueue, parseId, parseQueueQuery, queueFilters, queueQueryParams, SEARCH_MAX_LENGTH, takeNextStatus, type QueueQuery } from "@/lib/support";
import { topicKeys, topicLabels, type Topic } from "@/lib/support/topics";
import { filterLabels, Flash } from "./_lib/format";
import { takeNextAction } from "./actions";
import { LookupForm } from "./lookup-form";
import { QueueTable, ViewFields } from "./queue-table";

export const metadata: Metadata = { title: "Support desk", robots: { index: false } };

type Params = Record<string, string | string[] | undefined>;

/** /support?… for a view (filter, topic, search) and a page of it. */
function href(query: QueueQuery, page: { after?: number; before?: number } = {}): string {
  const params = queueQueryParams(query);
  if (page.after) params.set("after", String(page.after));
  if (page.before) params.set("before", String(page.before));
  return `/support?${params}`;
}

const number = (n: number) => n.toLocaleString("en-US");

export default async function SupportDeskPage({ searchParams }: { searchParams: Promise<Params> }) {
  const agent = await requireRole("agent", "/support");
  const params = await searchParams;
  const query = parseQueueQuery(params);
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const after = parseId(first(params.after)) ?? undefined;
  const before = after ? undefined : (parseId(first(params.before)) ?? undefined);
  const view = await listQueue(await getDb(), agent.id, query, { after, before });
  const { filter, topic, q } = query;
  const matching = view.matching.more ? `${number(view.matching.count)}+` : number(view.matching.count);
  const takes = takeNextStatus(filter);

  return (
    <div className="stack">
      <h1>Support desk</h1>
      <Flash code={first(params.flash)} />
      <p className="status status-info">
        Breached data (name, address, phone, last four card digits) and the From: of an email are never proof of
        identity: the email on file is the only channel we trust.
      </p>
      <LookupForm />

      <h2 id="requests-heading">Requests</h2>
      <form method="get" action="/support" role="search" aria-label="Requests" className="form narrow">
        <input type="hidden" name="filter" value={filter} />
        {topic ? <input type="hidden" name="topic" value={topic} /> : null}
        <div className="field">
          <label htmlFor="request-search">Search requests</label>
          <p id="request-search-hint" className="hint">
            A reference (RD-…), the start of the customer&apos;s address, or words from any message.
          </p>
          <input id="request-search" name="q" type="search" defaultValue={q ?? ""} maxLength={SEARCH_MAX_LENGTH} aria-describedby="request-search-hint" />
        </div>
        <div className="actions-row">
          <button type="submit">Search</button>
          {q ? <Link href={href({ filter, topic })}>Clear the search</Link> : null}
        </div>
      </form>

      <nav aria-label="Request filters" className="filter-nav">
        <ul>
          {queueFilters.map((f) => (
            <li key={f}>
              <Link href={href({ ...query, filter: f })} aria-current={f === filter ? "page" : undefined}>
                {filterLabels[f]} ({number(view.counts[f])})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label="Topics" className="filter-nav">
        <ul>
          <li>
            <Link href={href({ filter, q })} aria-current={topic ? undefined : "page"}>
              All topics ({number(view.topicCounts.all)})
            </Link>
          </li>
          {topicKeys.map((t: Topic) => (
            <li key={t}>
              <Link href={href({ filter, topic: t, q })} aria-current={t === topic ? "page" : undefined}>
                {topicLabels[t]} ({number(view.topicCounts[t])})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {q ? (
        <p role="status" data-testid="matching">
          {view.matching.more ? `More than ${number(view.matching.count)}` : number(view.matching.count)}{" "}
          {view.matching.count === 1 && !view.matching.more ? "request matches" : "requests match"} “{q}”.
        </p>
      ) : null}

      <div className="actions-row">
        <form action={takeNextAction}>
          <ViewFields query={query} />
          <button type="submit" aria-describedby="take-next-hint">
            Take next
          </button>
        </form>
        <p id="take-next-hint" className="muted">
          Gives you the oldest unclaimed {takes} request{topic || q ? " of this view" : ""} and opens it.
        </p>
      </div>

      <form id="bulk-select" method="get" action="/support/bulk" className="actions-row panel">
        <ViewFields query={query} />
        <label className="check">
          <input type="checkbox" name="all" value="1" /> All {matching} matching
        </label>
        <button type="submit">Answer selected</button>
        <span className="muted">Tick requests below, or all that match this view on every page.</span>
      </form>

      <QueueTable agent={agent} view={view} cursor={{ after, before }} />

      <nav aria-label="Pages" className="filter-nav">
        <ul>
          {view.previous !== null ? (
            <>
              <li>
                <Link href={href(query)}>First page</Link>
              </li>
              <li>
                <Link href={href(query, { before: view.previous })} rel="prev">
                  Previous
                </Link>
              </li>
            </>
          ) : null}
          {view.next !== null ? (
            <li>
              <Link href={href(query, { after: view.next })} rel="next">
                Next
              </Link>
            </li>
          ) : null}
          {view.rows.length === 0 && (after || before) ? (
            <li>
              <Link href={href(query)}>Back to the first page</Link>
            </li>
          ) : null}
        </ul>
      </nav>
    </div>
  );
}
