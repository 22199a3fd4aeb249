// GET /support/bulk/<id>/progress: a bulk answer's progress, polled by its page.
import { getDb } from "@/db/client";
import { requireRoleForAction, AuthorizationError } from "@/lib/auth/guards";
import { parseId } from "@/lib/support";
import { bulkAnswerView } from "@/lib/support/bulk";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  let actorId: number;
  try {
    actorId = (await requireRoleForAction("agent")).id;
  } catch (error) {
    if (error instanceof AuthorizationError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
  const id = parseId((await params).id);
  const view = id ? await bulkAnswerView(await getDb(), actorId, id) : null;
  if (!view) return Response.json({ error: "No such bulk answer." }, { status: 404 });
  const { status, total, processed, sent, emailed, outcomes } = view;
  return Response.json({ status, total, processed, sent, emailed, outcomes }, { headers: { "cache-control": "no-store" } });
}
