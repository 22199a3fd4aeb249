// The notice's body, shared by the public page and the admin preview. Pure:
// takes data, renders it; every piece of admin text goes through MarkdownView.
import Link from "next/link";
import { formatDateTime, formatDay } from "@/lib/incident/dates";
import { MarkdownView } from "@/lib/incident/markdown-view";
import { SECTION_HEADINGS, SECTION_KEYS } from "@/lib/incident/notice-schema";
import type { NoticeFaq, NoticeSections } from "@/db/schema";
import styles from "./notice.module.css";

export type NoticeDocumentData = {
  title: string;
  discoveredAt: string | null;
  breachStartedAt: string | null;
  breachEndedAt: string | null;
  noticeDate: string | null;
  lastUpdatedAt: string | null;
  sections: NoticeSections;
  faq: NoticeFaq;
  /** Newest first; null leaves the section out (a past revision, whose updates live apart). */
  updates: { key: string; postedAt: string | null; body: string }[] | null;
};

type Level = 1 | 2 | 3 | 4 | 5;
function Heading({ level, children, id }: { level: Level; children: React.ReactNode; id?: string }) {
  const Tag = `h${level}` as const;
  return <Tag id={id}>{children}</Tag>;
}

function breachWindow(d: NoticeDocumentData): string | null {
  if (d.breachStartedAt && d.breachEndedAt) return `${formatDay(d.breachStartedAt)} to ${formatDay(d.breachEndedAt)}`;
  if (d.breachStartedAt) return `From ${formatDay(d.breachStartedAt)}`;
  if (d.breachEndedAt) return `Until ${formatDay(d.breachEndedAt)}`;
  return null;
}

/** `top` is the level of the document's title: 1 on the page, lower inside the admin preview. */
export function NoticeDocument({ data, top = 1 }: { data: NoticeDocumentData; top?: 1 | 2 }) {
  const h1 = top as Level;
  const h2 = (top + 1) as Level;
  const h3 = (top + 2) as Level;
  const breach = breachWindow(data);
  return (
    <article className={styles.notice} aria-labelledby="notice-title">
      <Heading level={h1} id="notice-title">
        Notice of Data Breach
      </Heading>
      <p className="lead">{data.title}</p>
      {data.lastUpdatedAt ? (
        <p className={styles.lastUpdated}>
          Last updated <time dateTime={data.lastUpdatedAt}>{formatDateTime(data.lastUpdatedAt)}</time>
        </p>
      ) : null}
      <dl className={styles.meta}>
        {data.discoveredAt ? (
          <>
            <dt>Discovered</dt>
            <dd>
              <time dateTime={data.discoveredAt.slice(0, 10)}>{formatDay(data.discoveredAt)}</time>
            </dd>
          </>
        ) : null}
        {breach ? (
          <>
            <dt>Estimated breach window</dt>
            <dd>{breach}</dd>
          </>
        ) : null}
        {data.noticeDate ? (
          <>
            <dt>Date of this notice</dt>
            <dd>
              <time dateTime={data.noticeDate.slice(0, 10)}>{formatDay(data.noticeDate)}</time>
            </dd>
          </>
        ) : null}
      </dl>

      {SECTION_KEYS.map((key) => (
        <section key={key} className={styles.section} aria-labelledby={`section-${key}`}>
          <Heading level={h2} id={`section-${key}`}>
            {SECTION_HEADINGS[key]}
          </Heading>
          <MarkdownView source={data.sections[key]} />
        </section>
      ))}

      {data.updates ? (
      <section className={styles.section} aria-labelledby="notice-updates">
        <Heading level={h2} id="notice-updates">
          Updates
        </Heading>
        {data.updates.length === 0 ? (
          <p>No updates yet.</p>
        ) : (
          <ol className={styles.updates}>
            {data.updates.map((update) => (
              <li key={update.key}>
                {update.postedAt ? (
                  <time dateTime={update.postedAt}>{formatDateTime(update.postedAt)}</time>
                ) : (
                  <strong>When you publish</strong>
                )}
                <MarkdownView source={update.body} />
              </li>
            ))}
          </ol>
        )}
      </section>
      ) : null}

      <section className={`${styles.section} ${styles.faq}`} aria-labelledby="notice-faq">
        <Heading level={h2} id="notice-faq">
          Frequently asked questions
        </Heading>
        {data.faq.length === 0 ? <p>No questions yet.</p> : null}
        {data.faq.map((entry, i) => (
          <div key={i}>
            <Heading level={h3}>{entry.question}</Heading>
            <MarkdownView source={entry.answer} />
          </div>
        ))}
      </section>

      <p className={styles.contact}>
        Questions we have not answered? <Link href="/support/contact">Contact support</Link>: our team reads every
        message.
      </p>
    </article>
  );
}
