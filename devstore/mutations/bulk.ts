/** Bulk-operation mutations and staged uploads; the work itself lives in devstore/bulk.ts. */
import { randomUUID } from "node:crypto";
import type { GraphqlContext } from "../runtime.js";

interface StagedUploadInput {
  filename: string;
  mimeType: string;
  resource: string;
  httpMethod?: string | null;
}

export const BULK_MUTATIONS = {
  bulkOperationRunQuery: (_r: unknown, args: { query: string; groupObjects: boolean }, ctx: GraphqlContext) => {
    const { op, userErrors } = ctx.runtime.bulk.runQuery(ctx.shop, args.query, args.groupObjects);
    return { bulkOperation: op, userErrors };
  },

  bulkOperationRunMutation: (
    _r: unknown,
    args: { mutation: string; stagedUploadPath: string },
    ctx: GraphqlContext,
  ) => {
    const { op, userErrors } = ctx.runtime.bulk.runMutation(ctx.shop, args.mutation, args.stagedUploadPath);
    return { bulkOperation: op, userErrors };
  },

  bulkOperationCancel: (_r: unknown, args: { id: string }, ctx: GraphqlContext) => {
    const { op, userErrors } = ctx.runtime.bulk.cancel(ctx.shop, args.id);
    return { bulkOperation: op, userErrors };
  },

  /**
   * Staged upload targets point back at the stand-in (`POST /staged-uploads`, multipart form
   * with the returned parameters then `file`, like Shopify's Google Cloud Storage form).
   * The `key` parameter is what the app passes as `stagedUploadPath`.
   */
  stagedUploadsCreate: (_r: unknown, args: { input: StagedUploadInput[] }, ctx: GraphqlContext) => {
    const stagedTargets = args.input.map((input) => {
      const key = `tmp/${ctx.shop.domain}/bulk/${randomUUID()}/${input.filename}`;
      return {
        url: `${ctx.runtime.baseUrl()}/staged-uploads`,
        resourceUrl: `${ctx.runtime.baseUrl()}/staged-uploads/${key}`,
        parameters: [
          { name: "Content-Type", value: input.mimeType },
          { name: "success_action_status", value: "201" },
          { name: "acl", value: "private" },
          { name: "key", value: key },
        ],
      };
    });
    return { stagedTargets, userErrors: [] };
  },
};
