import { BlockStack, Card, Text } from "@shopify/polaris";
import { formatDateTime, formatNumber } from "../format";
import type { AutomationPageData as Data } from "./types";

/** The segment write-back's last run (it has no discount, holdout or results to measure). */
export function WritebackSummary({ data }: { data: Data }) {
  const last = data.runs[0];
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Segment write-back
        </Text>
        <Text as="p" tone="subdued">
          {last
            ? `Last run ${formatDateTime(last.startedAt)}: ${formatNumber(last.counts.WRITTEN ?? 0)} customers updated${last.counts.FAILED ? `, ${last.counts.FAILED} failed` : ""}.`
            : "Not run yet."}{" "}
          No discount and no holdout: this only tags customers so Shopify’s own tools can use the segments.
        </Text>
      </BlockStack>
    </Card>
  );
}
