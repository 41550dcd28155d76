import { Link } from "@remix-run/react";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { segmentColor, segmentTextColor } from "./segment-colors";

export interface RfmCell {
  r: number;
  fm: number;
  count: number;
  segment: string;
}

/**
 * The RFM grid: recency score (rows, most recent on top) × combined frequency/spend score
 * (columns). Each cell is coloured by the Shopify group it belongs to and links to that group.
 */
export function RfmGrid({ cells, slugOf }: { cells: RfmCell[]; slugOf: Record<string, string> }) {
  const rows = [5, 4, 3, 2, 1];
  return (
    <BlockStack gap="200">
      <div
        role="table"
        aria-label="Customers by recency and frequency/spend score"
        style={{ display: "grid", gridTemplateColumns: "72px repeat(5, 1fr)", gap: 3 }}
      >
        <div role="row" style={{ display: "contents" }}>
          <span role="columnheader" />
          {[1, 2, 3, 4, 5].map((fm) => (
            <span role="columnheader" key={fm} style={{ fontSize: 12, textAlign: "center", color: "#616161" }}>
              FM {fm}
            </span>
          ))}
        </div>
        {rows.map((r) => (
          <div role="row" key={r} style={{ display: "contents" }}>
            <span role="rowheader" style={{ fontSize: 12, color: "#616161", alignSelf: "center" }}>
              R {r}
              {r === 5 ? " (recent)" : r === 1 ? " (long ago)" : ""}
            </span>
            {cells
              .filter((c) => c.r === r)
              .sort((a, b) => a.fm - b.fm)
              .map((c) => (
                <Link
                  role="cell"
                  key={`${c.r}-${c.fm}`}
                  to={`/app/segments/${slugOf[c.segment]}`}
                  title={`${c.segment}: ${c.count} customers (R ${c.r}, FM ${c.fm})`}
                  data-testid={`rfm-cell-${c.r}-${c.fm}`}
                  style={{
                    // An empty cell stays readable (AA contrast): grey with the group's colour as its border.
                    background: c.count === 0 ? "#f1f1f1" : segmentColor(c.segment),
                    color: c.count === 0 ? "#616161" : segmentTextColor(c.segment),
                    boxShadow: c.count === 0 ? `inset 0 0 0 2px ${segmentColor(c.segment)}` : undefined,
                    borderRadius: 6,
                    padding: "8px 6px",
                    minHeight: 52,
                    textDecoration: "none",
                    display: "flex",
                    flexDirection: "column",
                    justifyContent: "space-between",
                  }}
                >
                  <span style={{ fontSize: 11, lineHeight: 1.2 }}>{c.segment}</span>
                  <span style={{ fontSize: 16, fontWeight: 600, fontVariantNumeric: "tabular-nums" }}>
                    {c.count.toLocaleString("en-US")}
                  </span>
                </Link>
              ))}
          </div>
        ))}
      </div>
      <InlineStack gap="200">
        <Text as="p" variant="bodySm" tone="subdued">
          R = how recently they ordered; FM = how often and how much, combined. Scores 1–5 are relative to your other
          customers.
        </Text>
      </InlineStack>
    </BlockStack>
  );
}
