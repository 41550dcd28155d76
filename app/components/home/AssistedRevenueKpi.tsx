import type { AssistedRevenueView } from "../../services/storefront/assisted-revenue.server";
import { formatDateRange, formatMoney } from "../format";
import { KpiCard } from "../KpiCard";

/** The recommendations page's assisted-revenue number (same service call), always the last 30 days. */
export function AssistedRevenueKpi({ assisted, currency }: { assisted: AssistedRevenueView; currency: string }) {
  const window = `last ${assisted.days} days (${formatDateRange(assisted.from, assisted.to)})`;
  const value =
    assisted.currencies.length > 0
      ? assisted.currencies.map((c) => formatMoney(c.assistedRevenueMinor, c.currencyCode)).join(" · ")
      : formatMoney(0, currency);
  const help =
    assisted.currencies.length > 0
      ? `Click-attributed revenue of orders using Growthpilot blocks, ${window}, refunds deducted. Not incremental.`
      : `No orders credited to recommendations yet, ${window}: add the Growthpilot blocks to your theme.`;
  return (
    <KpiCard
      id="assisted-revenue"
      title="Recommendation-assisted revenue"
      value={value}
      help={help}
      link={{ to: "/app/recommendations", label: "See it by block" }}
    />
  );
}
