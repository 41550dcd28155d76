import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { RunStatusView } from "../../admin/runs.server";
import { formatDateTime } from "../format";
import { SyncStatus, type SyncRow } from "../SyncStatus";

/** "Store data": sync progress per resource, the scoring run's state, and "Sync now" / "Recompute scores". */
export function StoreDataCard({
  sync,
  run,
  message,
  syncing,
  scoring,
  busy,
}: {
  sync: SyncRow[];
  run: RunStatusView | null;
  /** The answer to the last "Sync now" / "Recompute" click, if any. */
  message: { ok: boolean; text: string } | null;
  syncing: boolean;
  scoring: boolean;
  busy: (intent: "sync" | "recompute") => boolean;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <SyncStatus rows={sync} />
        {run && (
          <Text as="p" variant="bodySm" tone={run.status === "FAILED" ? "critical" : "subdued"} id="scoring-status">
            Scores:{" "}
            {run.status === "RUNNING"
              ? `recomputing since ${formatDateTime(run.startedAt)}`
              : run.status === "FAILED"
                ? `last run failed — ${run.error}`
                : `computed ${formatDateTime(run.finishedAt)}`}
          </Text>
        )}
        {message && (
          <Banner tone={message.ok ? "info" : "warning"}>
            <p>{message.text}</p>
          </Banner>
        )}
        <InlineStack gap="200">
          <Form method="post">
            <input type="hidden" name="intent" value="sync" />
            <Button submit loading={busy("sync")} disabled={syncing}>
              Sync now
            </Button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="recompute" />
            <Button submit loading={busy("recompute")} disabled={scoring || syncing}>
              Recompute scores
            </Button>
          </Form>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
