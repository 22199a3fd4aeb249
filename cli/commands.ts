// The operations CLI's commands (SPEC section 8). Each calls the same lib/
// code as the admin UI.
import { parseArgs } from "node:util";
import { seedDemo, DEMO_ACCOUNTS } from "@/db/seed";
import { upsertUser } from "@/lib/accounts";
import { bulkAnswerCommand } from "./bulk-commands";
import { CliError, type Command } from "./context";
import { incidentCommands } from "./incident-commands";

const migrate: Command = {
  summary: "apply pending migrations",
  usage: "migrate",
  run: async ({ db, log }) => {
    await db();
    log("Migrations are up to date.");
  },
};

const seedDemoCommand: Command = {
  summary: "seed the demo incident, accounts and notice (idempotent)",
  usage: "seed-demo",
  run: async ({ db, log }) => {
    const report = await seedDemo(await db(), log, { breachDay: true });
    log(`Demo seeded: ${report.created} accounts created, ${report.existing} already there.`);
    for (const a of DEMO_ACCOUNTS) log(`  ${a.role.padEnd(6)} ${a.email}  /  ${a.password}`);
  },
};

const createUser: Command = {
  summary: "create or update an account; the password is read from standard input",
  usage: "create-user --email E --role customer|agent|admin [--name N]   (password: one line on stdin)",
  run: async ({ db, args, stdin, log }) => {
    const { values } = parseArgs({
      args,
      options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
      strict: true,
    });
    if (!values.email) throw new CliError("--email is required.");
    if (!values.role) throw new CliError("--role is required (customer, agent or admin).");
    const input = await stdin();
    const firstLine = input.split(/\r?\n/)[0];
    const password = firstLine ? firstLine : undefined;
    const result = await upsertUser(await db(), {
      email: values.email,
      role: values.role,
      name: values.name,
      password,
    });
    log(
      `${result.created ? "Created" : "Updated"} ${values.role} ${values.email.trim().toLowerCase()} (id ${result.id})` +
        (result.expired ? "; the password is expired until it is set through a reset link." : "."),
    );
  },
};

export const commands: Record<string, Command> = {
  migrate,
  "seed-demo": seedDemoCommand,
  "create-user": createUser,
  ...incidentCommands,
  "bulk-answer": bulkAnswerCommand,
};
