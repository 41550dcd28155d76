import type { Db } from "./db-types.server";

export interface NewDataRequest {
  requestKey: string;
  customerGid: string;
  ordersRequested: string[];
  receivedAt: Date;
  dueAt: Date;
  exportJson: string;
}

/** Stores a request once per Shopify request id: a redelivery keeps the first export and deadline. */
export async function saveDataRequest(prisma: Db, shop: string, request: NewDataRequest) {
  return prisma.dataRequest.upsert({
    where: { shop_requestKey: { shop, requestKey: request.requestKey } },
    create: { shop, ...request },
    update: {},
    select: { id: true },
  });
}

/** Open first (earliest deadline first), then answered; without the export itself. */
export async function listDataRequests(prisma: Db, shop: string) {
  return prisma.dataRequest.findMany({
    where: { shop },
    orderBy: [{ sentAt: { sort: "asc", nulls: "first" } }, { dueAt: "asc" }],
    select: { id: true, customerGid: true, ordersRequested: true, receivedAt: true, dueAt: true, sentAt: true },
  });
}

export async function findDataRequest(prisma: Db, shop: string, id: string) {
  return prisma.dataRequest.findFirst({ where: { shop, id } });
}

export async function markDataRequestSent(prisma: Db, shop: string, id: string, sentAt: Date): Promise<boolean> {
  const { count } = await prisma.dataRequest.updateMany({ where: { shop, id, sentAt: null }, data: { sentAt } });
  return count === 1;
}

/** Deletes requests answered before `answeredBefore` and unanswered ones due before `dueBefore`. */
export async function pruneDataRequests(prisma: Db, shop: string, cutoffs: { answeredBefore: Date; dueBefore: Date }) {
  const { count } = await prisma.dataRequest.deleteMany({
    where: {
      shop,
      OR: [{ sentAt: { lt: cutoffs.answeredBefore } }, { sentAt: null, dueAt: { lt: cutoffs.dueBefore } }],
    },
  });
  return count;
}
