// The incident notice as data (SPEC 4.8): one incident, its published
// revisions (the five sections and the FAQ), and dated updates. Every publish
// inserts a new revision; updates are append-only, a public record whose
// corrections are new updates. Admin reads and writes check the role here.
import { desc, eq, isNotNull, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { incidents, noticeRevisions, noticeUpdates, users, type NoticeFaq, type NoticeSections } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { AuthorizationError, type SessionUser } from "@/lib/auth/guards";
import { hasRole } from "@/lib/auth/roles";
import { fieldErrorsOf, noticeFormSchema, type NoticeFormInput, type NoticeFormValues } from "./notice-schema";

/** What the public page and the banner show: plain, serialisable data only. */
export type PublishedNotice = {
  incidentId: number;
  title: string;
  discoveredAt: string | null;
  breachStartedAt: string | null;
  breachEndedAt: string | null;
  noticeDate: string | null;
  revisionId: number;
  publishedAt: string;
  sections: NoticeSections;
  faq: NoticeFaq;
  /** Newest first. */
  updates: { id: number; postedAt: string; body: string }[];
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * What the public notice is made of, as one string that changes whenever the
 * page would: the latest published revision and the updates. One query on
 * small tables (server.mjs's copy of /notice asks every few seconds).
 */
export async function noticeVersion(db: Db): Promise<string> {
  const [row] = rowsOf<{ revision: number | string | null; published: string | Date | null; updates: number | string; last: number | string | null }>(
    await db.execute(sql`
      select
        (select id from notice_revisions where published_at is not null order by published_at desc, id desc limit 1) as revision,
        (select max(published_at) from notice_revisions) as published,
        (select count(*) from notice_updates) as updates,
        (select max(id) from notice_updates) as last`),
  );
  const published = row?.published ? new Date(row.published).getTime() : 0;
  return `r${row?.revision ?? 0}.${published}.u${row?.updates ?? 0}.${row?.last ?? 0}`;
}

/** The incident with a published revision, or null. Two small indexed queries. */
export async function loadPublishedNotice(db: Db): Promise<PublishedNotice | null> {
  const [latest] = await db
    .select({
      revisionId: noticeRevisions.id,
      publishedAt: noticeRevisions.publishedAt,
      sections: noticeRevisions.sections,
      faq: noticeRevisions.faq,
      incidentId: incidents.id,
      title: incidents.title,
      discoveredAt: incidents.discoveredAt,
      breachStartedAt: incidents.breachStartedAt,
      breachEndedAt: incidents.breachEndedAt,
      noticeDate: incidents.noticeDate,
    })
    .from(noticeRevisions)
    .innerJoin(incidents, eq(incidents.id, noticeRevisions.incidentId))
    .where(isNotNull(noticeRevisions.publishedAt))
    .orderBy(desc(noticeRevisions.publishedAt), desc(noticeRevisions.id))
    .limit(1);
  if (!latest?.publishedAt) return null;
  const updates = await db
    .select({ id: noticeUpdates.id, postedAt: noticeUpdates.postedAt, body: noticeUpdates.body })
    .from(noticeUpdates)
    .where(eq(noticeUpdates.incidentId, latest.incidentId))
    .orderBy(desc(noticeUpdates.postedAt), desc(noticeUpdates.id))
    .limit(200);
  return {
    incidentId: latest.incidentId,
    title: latest.title,
    discoveredAt: iso(latest.discoveredAt),
    breachStartedAt: iso(latest.breachStartedAt),
    breachEndedAt: iso(latest.breachEndedAt),
    noticeDate: iso(latest.noticeDate),
    revisionId: latest.revisionId,
    publishedAt: latest.publishedAt.toISOString(),
    sections: latest.sections,
    faq: latest.faq,
    updates: updates.map((u) => ({ id: u.id, postedAt: u.postedAt.toISOString(), body: u.body })),
  };
}

/** "Last updated": the later of the latest publish and the newest update. */
export function lastUpdatedAt(notice: PublishedNotice): string {
  const newestUpdate = notice.updates[0]?.postedAt;
  return newestUpdate && newestUpdate > notice.publishedAt ? newestUpdate : notice.publishedAt;
}

function assertAdmin(actor: SessionUser) {
  if (!hasRole(actor.role, "admin")) throw new AuthorizationError(403, "Only the incident team can edit the notice.");
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");
const fromDay = (s: string) => (s ? new Date(`${s}T00:00:00Z`) : null);

export type RevisionSummary = { id: number; publishedAt: string | null; publishedBy: string | null };

export type NoticeEditorData = {
  form: NoticeFormInput;
  updates: { id: number; postedAt: string; body: string }[];
  revisions: RevisionSummary[];
};

const EMPTY_FORM: NoticeFormInput = {
  title: "",
  discoveredOn: "",
  breachStartedOn: "",
  breachEndedOn: "",
  noticeOn: "",
  sections: { whatHappened: "", informationInvolved: "", whatWeAreDoing: "", whatYouCanDo: "", moreInformation: "" },
  faq: [],
  newUpdate: "",
};

async function currentIncident(db: Pick<Db, "select">) {
  const [incident] = await db.select().from(incidents).orderBy(desc(incidents.id)).limit(1);
  return incident ?? null;
}

// A revision as admins see it, with who published it (by email).
const revisionColumns = {
  id: noticeRevisions.id,
  publishedAt: noticeRevisions.publishedAt,
  publishedBy: users.email,
  sections: noticeRevisions.sections,
  faq: noticeRevisions.faq,
};

/** The editor's starting point (the latest revision), the updates and every revision, newest first. */
export async function noticeForEditing(db: Db, actor: SessionUser): Promise<NoticeEditorData> {
  assertAdmin(actor);
  const incident = await currentIncident(db);
  if (!incident) return { form: EMPTY_FORM, updates: [], revisions: [] };
  const revisions = await db
    .select(revisionColumns)
    .from(noticeRevisions)
    .leftJoin(users, eq(users.id, noticeRevisions.publishedBy))
    .where(eq(noticeRevisions.incidentId, incident.id))
    .orderBy(desc(noticeRevisions.id))
    .limit(500);
  const updates = await db
    .select({ id: noticeUpdates.id, postedAt: noticeUpdates.postedAt, body: noticeUpdates.body })
    .from(noticeUpdates)
    .where(eq(noticeUpdates.incidentId, incident.id))
    .orderBy(desc(noticeUpdates.postedAt), desc(noticeUpdates.id));
  const latest = revisions[0];
  return {
    form: {
      title: incident.title,
      discoveredOn: day(incident.discoveredAt),
      breachStartedOn: day(incident.breachStartedAt),
      breachEndedOn: day(incident.breachEndedAt),
      noticeOn: day(incident.noticeDate),
      sections: latest?.sections ?? EMPTY_FORM.sections,
      faq: latest?.faq ?? [],
      newUpdate: "",
    },
    updates: updates.map((u) => ({ id: u.id, postedAt: u.postedAt.toISOString(), body: u.body })),
    revisions: revisions.map((r) => ({ id: r.id, publishedAt: iso(r.publishedAt), publishedBy: r.publishedBy })),
  };
}

export type RevisionDetail = RevisionSummary & { sections: NoticeSections; faq: NoticeFaq };

/** One revision in full, for admins reading the history. */
export async function revisionForAdmin(db: Db, actor: SessionUser, id: number): Promise<RevisionDetail | null> {
  assertAdmin(actor);
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const [row] = await db
    .select(revisionColumns)
    .from(noticeRevisions)
    .leftJoin(users, eq(users.id, noticeRevisions.publishedBy))
    .where(eq(noticeRevisions.id, id));
  return row ? { ...row, publishedAt: iso(row.publishedAt) } : null;
}

export type PublishResult =
  | { ok: true; revisionId: number; updateId: number | null }
  | { ok: false; fieldErrors: Record<string, string> };

/**
 * Publishes a new revision (and the new update, if any) in one transaction,
 * with the audit event. The caller revalidates the cache afterwards.
 */
export async function publishNotice(
  db: Db,
  actor: SessionUser,
  input: unknown,
  ip?: string | null,
): Promise<PublishResult> {
  assertAdmin(actor);
  const parsed = noticeFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const values: NoticeFormValues = parsed.data;
  const now = new Date();
  return db.transaction(async (tx) => {
    const incidentFields = {
      title: values.title,
      discoveredAt: fromDay(values.discoveredOn),
      breachStartedAt: fromDay(values.breachStartedOn),
      breachEndedAt: fromDay(values.breachEndedOn),
      noticeDate: fromDay(values.noticeOn),
    };
    let incident = await currentIncident(tx);
    if (incident) {
      await tx.update(incidents).set(incidentFields).where(eq(incidents.id, incident.id));
    } else {
      [incident] = await tx.insert(incidents).values(incidentFields).returning();
    }
    const [revision] = await tx
      .insert(noticeRevisions)
      .values({
        incidentId: incident.id,
        sections: values.sections,
        faq: values.faq,
        publishedAt: now,
        publishedBy: actor.id,
      })
      .returning({ id: noticeRevisions.id });
    let updateId: number | null = null;
    if (values.newUpdate) {
      const [update] = await tx
        .insert(noticeUpdates)
        .values({ incidentId: incident.id, body: values.newUpdate, postedAt: now, createdBy: actor.id })
        .returning({ id: noticeUpdates.id });
      updateId = update.id;
    }
    await recordAudit(tx, {
      action: "notice.published",
      actorId: actor.id,
      ip: ip ?? null,
      detail: { incidentId: incident.id, revisionId: revision.id, updateId, faqCount: values.faq.length },
    });
    return { ok: true as const, revisionId: revision.id, updateId };
  });
}
