import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminDeps } from "../admin/deps.server";
import { exportSegmentCsv } from "../admin/segments.server";
import { requireAdmin } from "../shopify/auth.server";
import { privateDownload } from "../csv/write";

/** CSV of a segment's customers (resource route: no UI). Contains PII, so it is never cached. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return privateDownload(await exportSegmentCsv(await adminDeps(), shop, params.segment ?? ""));
};
