// Every vitest file starts with valid settings and the outbox transport; a
// file that needs a database calls withTestDb() (test/db.ts).
import { resetEnvCache } from "@/lib/env";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
process.env.EMAIL_TRANSPORT ??= "outbox";
process.env.APP_URL ??= "http://localhost:3000";
resetEnvCache();
