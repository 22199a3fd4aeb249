// npm run cli -- <command> [options]
import { commands } from "./commands";
import { runCommand } from "./context";

function help() {
  console.log("Usage: npm run cli -- <command> [options]\n\nCommands:");
  for (const c of Object.values(commands)) console.log(`  ${c.usage}\n      ${c.summary}`);
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  if (!name || name === "help" || name === "--help") {
    help();
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}". Run "npm run cli -- help" for the list.`);
    return 1;
  }
  return runCommand(command, args);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error("Error:", error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
