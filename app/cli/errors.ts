/**
 * Problems with the user's command line or input files: printed as one line on stderr, exit code 2
 * (docs/contracts.md §4). Anything else is a bug and exits 1 with a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
