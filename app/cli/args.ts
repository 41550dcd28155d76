import { UsageError } from "./errors";

/** One flag a command accepts. */
export interface FlagSpec {
  required?: boolean;
  /** Default when absent (string form, parsed like user input). */
  default?: string;
}

/**
 * Parses `--name value` / `--name=value` flags strictly: unknown flags, missing values, repeats and
 * positional arguments are usage errors, so typos never silently fall back to defaults.
 */
export function parseFlags(argv: string[], spec: Record<string, FlagSpec>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!(name in spec)) throw new UsageError(`unknown flag --${name}`);
    if (name in out) throw new UsageError(`--${name} given twice`);
    const value: string | undefined = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
    out[name] = value;
  }
  for (const [name, s] of Object.entries(spec)) {
    if (out[name] === undefined && s.default !== undefined) out[name] = s.default;
    if (out[name] === undefined && s.required) throw new UsageError(`missing required flag --${name}`);
  }
  return out;
}

/** "2024-03-05" → epoch ms of that day's UTC midnight ("before --as-of" = before that instant). */
export function parseAsOf(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  const d = new Date(ms);
  if (!m || Number.isNaN(ms) || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new UsageError(`--as-of "${value}" is not a date like 2024-03-05`);
  }
  return ms;
}

/** A positive whole number of days. */
export function parsePositiveInt(name: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new UsageError(`--${name} "${value}" must be a positive whole number`);
  return Number(value);
}
