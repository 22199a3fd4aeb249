// Runs once when the server starts: a bad setting stops start-up with a
// message naming the variable (SPEC section 2).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  env();
}
