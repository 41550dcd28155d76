import { Badge, BlockStack, Box, InlineStack, List, ProgressBar, Text } from "@shopify/polaris";
import { formatNumber } from "./format";

export interface SufficiencyOutput {
  key: string;
  label: string;
  what: string;
  level: "ok" | "limited" | "insufficient";
  missing: string[];
  fallback: string | null;
}

const LEVEL: Record<SufficiencyOutput["level"], { tone: "success" | "attention" | "critical"; text: string }> = {
  ok: { tone: "success", text: "Trustworthy" },
  limited: { tone: "attention", text: "Rough" },
  insufficient: { tone: "critical", text: "Not enough data" },
};

/**
 * The data-sufficiency meter: how many outputs can be trusted on this shop's data, and for each
 * one that cannot, what is missing ("needs ≥ 50 repeat buyers; you have 12") and what is done instead.
 */
export function SufficiencyMeter(props: {
  okShare: number;
  counts: { orders: number; customers: number; repeatBuyers: number; historySpanDays: number; skusWithSales: number };
  outputs: SufficiencyOutput[];
}) {
  const { counts } = props;
  return (
    <BlockStack gap="300">
      <ProgressBar
        progress={Math.round(props.okShare * 100)}
        size="small"
        tone={props.okShare === 1 ? "success" : props.okShare >= 0.5 ? "highlight" : "critical"}
      />
      <Text as="p" variant="bodySm" tone="subdued">
        Based on {formatNumber(counts.orders)} orders from {formatNumber(counts.customers)} customers (
        {formatNumber(counts.repeatBuyers)} repeat buyers) over {formatNumber(counts.historySpanDays)} days,{" "}
        {formatNumber(counts.skusWithSales)} products sold.
      </Text>
      <BlockStack gap="200">
        {props.outputs.map((o) => (
          <Box key={o.key} paddingBlockEnd="100">
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <BlockStack gap="050">
                <Text as="span" variant="bodyMd" fontWeight="semibold">
                  {o.label}
                </Text>
                <Text as="span" variant="bodySm" tone="subdued">
                  {o.what}
                </Text>
              </BlockStack>
              <Badge tone={LEVEL[o.level].tone}>{LEVEL[o.level].text}</Badge>
            </InlineStack>
            {o.level !== "ok" && (
              <Box paddingBlockStart="100">
                <List type="bullet">
                  {o.missing.map((m) => (
                    <List.Item key={m}>{m}</List.Item>
                  ))}
                  {o.level === "insufficient" && o.fallback && <List.Item>Meanwhile: {o.fallback}.</List.Item>}
                  {o.level === "limited" && <List.Item>Usable, but treat the numbers as rough.</List.Item>}
                </List>
              </Box>
            )}
          </Box>
        ))}
      </BlockStack>
    </BlockStack>
  );
}
