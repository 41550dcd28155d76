import { Badge, BlockStack, InlineGrid, ProgressBar, Text } from "@shopify/polaris";
import { formatDateTime, formatNumber } from "./format";

export interface SyncRow {
  resource: string;
  kind: string | null;
  status: string;
  rowsUpserted: number;
  percent: number;
  finishedAt: string | null;
  error: string | null;
}

const label = (resource: string) => resource.charAt(0).toUpperCase() + resource.slice(1);

export function statusTone(status: string): "success" | "critical" | "attention" | "info" {
  if (status === "COMPLETED") return "success";
  if (status === "FAILED") return "critical";
  if (status === "RUNNING" || status === "IMPORTING" || status === "PENDING") return "attention";
  return "info";
}

const STATUS_TEXT: Record<string, string> = {
  NEVER: "not synced",
  PENDING: "queued",
  RUNNING: "exporting at Shopify",
  IMPORTING: "importing",
  COMPLETED: "up to date",
  FAILED: "failed",
};

/** One progress row per synced resource (products, customers, orders). */
export function SyncStatus({ rows }: { rows: SyncRow[] }) {
  return (
    <BlockStack gap="300">
      {rows.map((s) => (
        <BlockStack gap="100" key={s.resource}>
          <InlineGrid columns="1fr auto">
            <Text as="span" variant="bodyMd">
              {label(s.resource)} — {formatNumber(s.rowsUpserted)}{" "}
              {s.kind === "RECONCILE" ? "updated in the last pass" : "synced"}
              {s.finishedAt && s.status === "COMPLETED" ? ` · ${formatDateTime(s.finishedAt)}` : ""}
            </Text>
            <Badge tone={statusTone(s.status)}>{STATUS_TEXT[s.status] ?? s.status.toLowerCase()}</Badge>
          </InlineGrid>
          <ProgressBar
            progress={s.percent}
            size="small"
            tone={s.status === "FAILED" ? "critical" : s.status === "COMPLETED" ? "success" : "primary"}
            animated={s.status !== "COMPLETED"}
          />
          {s.error && (
            <Text as="p" tone="critical">
              {s.error}
            </Text>
          )}
        </BlockStack>
      ))}
    </BlockStack>
  );
}
