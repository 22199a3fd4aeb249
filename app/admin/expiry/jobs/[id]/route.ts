// GET /admin/expiry/jobs/<id>: a job's progress, polled by the expiry page.
import { getDb } from "@/db/client";
import { refuseUnlessRole } from "@/lib/auth/guards";
import { describeScope, findJob, jobFraction } from "@/lib/expiry";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refused = await refuseUnlessRole("admin");
  if (refused) return refused;
  const id = Number((await params).id);
  const job = Number.isSafeInteger(id) && id > 0 ? await findJob(await getDb(), id) : undefined;
  if (!job) return Response.json({ error: "No such job." }, { status: 404 });
  return Response.json(
    { id: job.id, status: job.status, scope: describeScope(job.scope), total: job.total, processed: job.processed, fraction: jobFraction(job) },
    { headers: { "cache-control": "no-store" } },
  );
}
