import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportSegmentCsv } from "../services/admin-segments.server";
import { requireAdmin } from "../shopify/auth.server";

/** CSV of a segment's customers (resource route: no UI). Contains PII, so it is never cached. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { filename, body } = await exportSegmentCsv(shop, params.segment ?? "");
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
};
