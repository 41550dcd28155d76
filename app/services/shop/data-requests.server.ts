import type { PrismaClient } from "@prisma/client";
import { csvField } from "~/csv/write";
import { getDb } from "~/db.server";
import { collectCustomerData } from "~/models/customers.server";
import {
  findDataRequest,
  listDataRequests,
  markDataRequestSent,
  pruneDataRequests,
  saveDataRequest,
} from "~/models/data-requests.server";
import { DAY_MS } from "~/analytics/time";

/**
 * GDPR / CCPA data requests (`customers/data_request`). Shopify forwards the customer's request;
 * the app must give the merchant what it holds so the merchant can answer within 30 days.
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance#customers-data_request
 *
 * The export is generated when the request arrives (a snapshot, as the law asks for "the data
 * held"), stored in Postgres only, offered in the admin as JSON and CSV, and pruned 30 days after
 * the merchant marked it sent or after it fell due — it is a second copy of personal data.
 */
export const DATA_REQUEST_DEADLINE_DAYS = 30;
export const DATA_REQUEST_RETENTION_DAYS = 30;
export interface IncomingDataRequest {
  /** Shopify's data_request.id (exact string), or the webhook id when absent. */
  requestKey: string;
  customerGid: string;
  orderGids: string[];
  receivedAt: Date;
}

/** Stores the request with its deadline and export; a redelivery changes nothing. Returns the row id. */
export async function recordDataRequest(prisma: PrismaClient, shop: string, request: IncomingDataRequest) {
  const data = await collectCustomerData(prisma, shop, request.customerGid, request.orderGids);
  const { id } = await saveDataRequest(prisma, shop, {
    requestKey: request.requestKey,
    customerGid: request.customerGid,
    ordersRequested: request.orderGids,
    receivedAt: request.receivedAt,
    dueAt: new Date(request.receivedAt.getTime() + DATA_REQUEST_DEADLINE_DAYS * DAY_MS),
    exportJson: JSON.stringify(data, jsonSafe, 2),
  });
  return { id, found: data.customer !== null, orders: data.orders.length };
}

export interface DataRequestRow {
  id: string;
  customerGid: string;
  ordersRequested: number;
  receivedAt: string;
  dueAt: string;
  sentAt: string | null;
  status: "open" | "overdue" | "sent";
}

/** The admin list (expired copies pruned first). */
export async function dataRequestsForAdmin(prisma: PrismaClient, shop: string, now: Date): Promise<DataRequestRow[]> {
  await pruneExpired(prisma, shop, now);
  const rows = await listDataRequests(prisma, shop);
  return rows.map((r) => ({
    id: r.id,
    customerGid: r.customerGid,
    ordersRequested: r.ordersRequested.length,
    receivedAt: r.receivedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    status: r.sentAt ? "sent" : r.dueAt < now ? "overdue" : "open",
  }));
}

export function pruneExpired(prisma: PrismaClient, shop: string, now: Date) {
  const cutoff = new Date(now.getTime() - DATA_REQUEST_RETENTION_DAYS * DAY_MS);
  return pruneDataRequests(prisma, shop, { answeredBefore: cutoff, dueBefore: cutoff });
}

/** The download: the stored JSON, or the same data as CSV (one row per field). Null if not this shop's. */
export async function dataRequestExport(prisma: PrismaClient, shop: string, id: string, format: "json" | "csv") {
  const row = await findDataRequest(prisma, shop, id);
  if (!row) return null;
  const base = `data-request-${row.customerGid.split("/").pop()}-${row.receivedAt.toISOString().slice(0, 10)}`;
  if (format === "json")
    return { filename: `${base}.json`, contentType: "application/json; charset=utf-8", body: row.exportJson };
  return {
    filename: `${base}.csv`,
    contentType: "text/csv; charset=utf-8",
    body: exportToCsv(JSON.parse(row.exportJson)),
  };
}

/**
 * A long-format CSV (`record,field,value`) of the JSON export: every stored field of every record,
 * readable in a spreadsheet whatever the record's shape. Nested values become dotted field names.
 */
export function exportToCsv(data: Record<string, unknown>): string {
  const lines = ["record,field,value"];
  const walk = (record: string, prefix: string, value: unknown) => {
    if (value !== null && typeof value === "object") {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, v] of entries) walk(record, prefix ? `${prefix}.${key}` : key, v);
      return;
    }
    lines.push([record, prefix, value === null || value === undefined ? "" : String(value)].map(csvField).join(","));
  };
  for (const [section, value] of Object.entries(data)) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(`${section}[${i}]`, "", item));
    else walk(section, "", value);
  }
  return lines.join("\r\n") + "\r\n";
}

/** BigInt (money in minor units) is not JSON: written as an exact decimal string. */
function jsonSafe(_key: string, value: unknown) {
  return typeof value === "bigint" ? value.toString() : value;
}

// Admin entry points (the privacy page): the shop comes from the verified admin session.

export async function getPrivacyPage(shop: string, now = new Date()) {
  const { prisma } = await getDb();
  return {
    requests: await dataRequestsForAdmin(prisma, shop, now),
    deadlineDays: DATA_REQUEST_DEADLINE_DAYS,
    retentionDays: DATA_REQUEST_RETENTION_DAYS,
  };
}

export async function markSentFromAdmin(shop: string, id: string, now = new Date()) {
  const { prisma } = await getDb();
  return markDataRequestSent(prisma, shop, id, now);
}

export async function exportForAdmin(shop: string, id: string, format: "json" | "csv") {
  const { prisma } = await getDb();
  return dataRequestExport(prisma, shop, id, format);
}
