import { CsvInputError } from "../csv/errors";
import { UsageError } from "./errors";

/**
 * Offline CLI entry (docs/contracts.md §4): `growthpilot <command> [flags]`. A tiny dispatcher so new
 * commands (e.g. `import`) are one line here plus a file in ./commands exporting `run` and `usage`.
 * Input problems print exactly one line on stderr and exit 2; bugs exit 1 with a stack trace.
 */
interface Command {
  run(argv: string[]): Promise<void>;
  usage: string;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  score: () => import("./commands/score"),
  complete: () => import("./commands/complete"),
  import: () => import("./commands/import"),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "--help" || name === "help") {
      const usages = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).usage));
      process.stdout.write(`usage:\n${usages.map((u) => `  ${u}`).join("\n")}\n`);
      return name === undefined ? 2 : 0;
    }
    const load = COMMANDS[name];
    if (!load) throw new UsageError(`unknown command "${name}" (expected one of: ${Object.keys(COMMANDS).join(", ")})`);
    await (await load()).run(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CsvInputError) {
      process.stderr.write(`growthpilot: error: ${error.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    process.stderr.write(`growthpilot: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

// Run when executed directly (`tsx app/cli/main.ts …` or via bin/growthpilot.js).
const invokedDirectly = process.argv[1] !== undefined && /app[\\/]cli[\\/]main\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
