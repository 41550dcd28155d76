import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";

/**
 * Demo only: asks the stand-in for 30 days of orders, with the demo's true uplift for treated
 * customers, so the measured interval can be checked against the truth.
 */
export function DemoSimulateCard({
  trueUplift,
  offerTest = false,
  running,
  busy,
}: {
  trueUplift: number;
  /** An offer test: the truth is each segment's response to its arm's depth (devstore/offer-response.ts). */
  offerTest?: boolean;
  running: boolean;
  busy: boolean;
}) {
  return (
    <Card>
      <InlineStack align="space-between" blockAlign="center">
        <BlockStack gap="100">
          <Text as="h2" variant="headingSm">
            Demo: simulate what happens next
          </Text>
          {offerTest ? (
            <Text as="p" tone="subdued" variant="bodySm">
              The stand-in adds 30 days of orders. Each assigned customer buys with the probability the stand-in sees in
              their own history; a treated customer adds their segment’s response to their arm’s depth and buys with
              their code. At risk customers keep responding to deeper offers; dormant ones come back for a small one —
              so the best arm differs by segment. Run again after simulating to see the split learn.
              {running ? " Available once codes have been issued." : ""}
            </Text>
          ) : (
            <Text as="p" tone="subdued" variant="bodySm">
              The stand-in adds 30 days of orders. Each assigned customer buys with the probability the stand-in sees in
              their own history; a treated customer adds the demo’s true effect,{" "}
              <strong>+{(trueUplift * 100).toFixed(0)} pts</strong> of conversion, and buys with their code. The
              measured interval should cover it.
              {running ? " Available once codes have been issued." : ""}
            </Text>
          )}
        </BlockStack>
        <Form method="post">
          <input type="hidden" name="intent" value="simulate" />
          <Button submit loading={busy} disabled={running}>
            Simulate 30 days of orders
          </Button>
        </Form>
      </InlineStack>
    </Card>
  );
}
