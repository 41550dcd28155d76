import { DataTable as PolarisDataTable, type DataTableProps } from "@shopify/polaris";
import { useEffect, useRef } from "react";

/**
 * Polaris' DataTable, keyboard-reachable when it scrolls: on a phone its scroll container
 * overflows sideways but takes no focus, so keyboard users could not scroll it (axe
 * scrollable-region-focusable, WCAG 2.1.1). The container becomes a labelled, focusable region.
 */
export function DataTable({ label = "Table", ...props }: DataTableProps & { label?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const el of Array.from(ref.current?.querySelectorAll(".Polaris-DataTable__ScrollContainer") ?? [])) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", label);
    }
  });
  return (
    <div ref={ref}>
      <PolarisDataTable {...props} />
    </div>
  );
}
