import { z } from "zod";
import { gidOf } from "./rest";
import { defineTopic } from "./types";

const bulkFinishBody = z.object({ admin_graphql_api_id: gidOf("BulkOperation"), status: z.string() }).passthrough();

/** Polling drives the sync (it also survives a dropped webhook); this only records the event. */
const bulkFinish = defineTopic({
  schema: bulkFinishBody,
  map: (body) => ({ bulkOperation: body.admin_graphql_api_id ?? null, status: body.status ?? null }),
  records: z.object({ bulkOperation: z.string().nullable(), status: z.string().nullable() }),
  async apply(_deps, _ctx, summary) {
    return summary;
  },
});

export const BULK_TOPICS = {
  "bulk_operations/finish": bulkFinish,
};
