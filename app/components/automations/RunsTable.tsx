import { Box, Card, Divider, Text } from "@shopify/polaris";
import { DataTable } from "../DataTable";
import { formatDateTime, formatNumber } from "../format";
import type { AutomationPageData as Data, Money } from "./types";

/** Every run of the automation: status, codes issued, held out, failed, cost and measured margin. */
export function RunsTable({ data, money }: { data: Data; money: Money }) {
  if (data.runs.length === 0) return null;
  const resultCell = (r: Data["runs"][number]) => {
    const m = r.result?.measurement;
    if (!m) return "—";
    if (!m.effect) return "not enough data yet";
    const t = m.effect.totalIncrementalMarginMinor;
    return `${money(t.estimate)} (${money(t.low)} to ${money(t.high)})${m.status === "INTERIM" ? " interim" : ""}`;
  };
  return (
    <Card padding="0">
      <Box padding="400">
        <Text as="h2" variant="headingMd">
          Runs
        </Text>
      </Box>
      <Divider />
      <DataTable
        columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric", "text"]}
        headings={["Started", "Status", "Codes issued", "Held out", "Failed", "Expected cost", "Incremental margin"]}
        rows={data.runs.map((r) => [
          formatDateTime(r.startedAt),
          r.error && r.status !== "COMPLETED" ? `${r.status.toLowerCase()}: ${r.error}` : r.status.toLowerCase(),
          formatNumber(
            (r.counts.ISSUED ?? 0) + (r.counts.REDEEMED ?? 0) + (r.counts.CLEANED ?? 0) + (r.counts.WRITTEN ?? 0),
          ),
          formatNumber(r.counts.HOLDOUT ?? 0),
          formatNumber(r.counts.FAILED ?? 0),
          money(Number(r.summary.expectedCostMinor ?? 0)),
          resultCell(r),
        ])}
      />
    </Card>
  );
}
