/**
 * Plain-language reasons shown next to every recommended item (merchant admin, storefront tooltips,
 * CLI output). Every number in a reason is an exact count from the training data, so tests can
 * check them against the orders.
 */

export function boughtTogetherReason(otherSku: string, together: number, ordersWithOther: number): string {
  return `bought together with ${otherSku} in ${together} of ${ordersWithOther} orders`;
}

export function alsoBoughtReason(otherSku: string, both: number, buyersOfOther: number): string {
  return `${both} of ${plural(buyersOfOther, "customer")} who bought ${otherSku} also bought this`;
}

export function buyAgainReason(
  occasions: number,
  daysSinceLast: number,
  intervalDays: number | null,
  own: boolean,
): string {
  const last = `last ${formatDaysAgo(daysSinceLast)}`;
  if (intervalDays !== null && own) return `you buy this every ~${Math.round(intervalDays)} days; ${last}`;
  const times = occasions === 1 ? "once" : `${occasions} times`;
  if (intervalDays !== null)
    return `you bought this ${times}; customers re-order it every ~${Math.round(intervalDays)} days; ${last}`;
  return `you bought this ${times}; ${last}`;
}

export function popularReason(recentCustomers: number, windowDays: number, allCustomers: number): string {
  if (recentCustomers > 0)
    return `popular: bought by ${plural(recentCustomers, "customer")} in the last ${windowDays} days`;
  if (allCustomers > 0) return `bestseller: bought by ${plural(allCustomers, "customer")}`;
  return "new in the catalogue";
}

export function similarReason(otherSku: string, shared: string): string {
  return shared === "" ? `similar to ${otherSku}` : `similar to ${otherSku}: ${shared}`;
}

function formatDaysAgo(days: number): string {
  const d = Math.floor(days);
  if (d <= 0) return "today";
  if (d === 1) return "1 day ago";
  return `${d} days ago`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
