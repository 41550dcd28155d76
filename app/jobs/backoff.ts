/**
 * Exponential backoff before retry number `failedAttempts` (1 = after the first failure):
 * base, 2·base, 4·base, … — the same formula as BullMQ's built-in `exponential` strategy, so both
 * implementations retry on the same timetable.
 */
export function backoffDelay(baseMs: number, failedAttempts: number): number {
  return Math.round(baseMs * 2 ** Math.max(0, failedAttempts - 1));
}
