import { handlers } from "@/lib/auth/config";

export const { GET } = handlers;

// Signing in goes through the /login action only, where the per-account and
// per-IP limits are counted; the raw credentials callback would skip them.
export async function POST(request: Request) {
  const path = new URL(request.url).pathname;
  if (path.endsWith("/callback/credentials") || path.endsWith("/signin/credentials")) {
    return Response.json({ error: "Sign in at /login." }, { status: 404 });
  }
  return handlers.POST(request as Parameters<typeof handlers.POST>[0]);
}
