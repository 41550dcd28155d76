import { BlockStack, Card, InlineStack, Badge, Text } from "@shopify/polaris";
import { DataTable } from "./DataTable";
import type { BacktestTaskView } from "../admin/recommendations.server";
import { formatMetric, formatNumber } from "./format";

/** One card per backtest task: the current model, the popularity baseline and the other baselines. */
export function BacktestTable({ task }: { task: BacktestTaskView }) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {task.label}
          </Text>
          {task.liftOverPopularity !== null && (
            <Badge tone={task.liftOverPopularity >= 1 ? "success" : "critical"}>
              {`${task.liftOverPopularity.toFixed(1)}× the best-seller baseline`}
            </Badge>
          )}
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {task.what} · {formatNumber(task.cases)} test cases
        </Text>
        <div data-testid={`backtest-${task.task}`}>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={["Method", `Hit rate@${task.k}`, `Recall@${task.k}`, `NDCG@${task.k}`]}
            rows={task.rows.map((r) => [
              r.isEngine ? <strong key="m">{r.label}</strong> : r.label,
              formatMetric(r.hitRate),
              formatMetric(r.recall),
              formatMetric(r.ndcg),
            ])}
            increasedTableDensity
          />
        </div>
      </BlockStack>
    </Card>
  );
}
