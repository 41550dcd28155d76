import { Badge, BlockStack, Button, Divider, InlineStack, Text } from "@shopify/polaris";
import type { DoThisNow as Action } from "../admin/dashboard.server";

const BADGE: Record<Action["tone"], { tone: "critical" | "warning" | "info" | "success"; text: string }> = {
  critical: { tone: "critical", text: "Revenue at stake" },
  warning: { tone: "warning", text: "Worth a look" },
  info: { tone: "info", text: "Grow" },
  success: { tone: "success", text: "Ready" },
};

/** The short "Do this now" list: each step says what, why (expected effect) and links to where it is done. */
export function DoThisNow({ actions }: { actions: Action[] }) {
  if (actions.length === 0) {
    return (
      <Text as="p" tone="subdued">
        Nothing urgent. Check back after the next sync.
      </Text>
    );
  }
  return (
    <BlockStack gap="300">
      {actions.map((a, i) => (
        <BlockStack gap="200" key={a.id}>
          {i > 0 && <Divider />}
          <div data-testid={`action-${a.id}`} data-count={a.count ?? undefined}>
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center">
                <Badge tone={BADGE[a.tone].tone}>{BADGE[a.tone].text}</Badge>
                <Text as="h3" variant="headingSm">
                  {a.title}
                </Text>
              </InlineStack>
              <Text as="p" variant="bodyMd" tone="subdued">
                {a.effect}
              </Text>
              <InlineStack>
                <Button url={a.href} variant={a.tone === "critical" ? "primary" : "secondary"} size="slim">
                  {a.cta}
                </Button>
              </InlineStack>
            </BlockStack>
          </div>
        </BlockStack>
      ))}
    </BlockStack>
  );
}
