import { z } from "zod";

/** Demo credentials (the stand-in accepts them); refused in production. */
const DEMO_API_KEY = "growthpilot-demo-key";
const DEMO_API_SECRET = "growthpilot-demo-secret";

/**
 * Environment, parsed once and validated with zod: a misconfigured process fails at start-up with
 * a message naming the variable, not later inside a request.
 */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** Postgres URL; unset = embedded PGlite in DATA_DIR (the demo default). */
    DATABASE_URL: z.string().url().optional(),
    DATA_DIR: z.string().default(".data"),
    SHOPIFY_API_KEY: z.string().min(1).default(DEMO_API_KEY),
    SHOPIFY_API_SECRET: z.string().min(1).default(DEMO_API_SECRET),
    SHOPIFY_APP_URL: z.string().url().default("http://localhost:3000"),
    SCOPES: z.string().optional(),
    /**
     * Base URL of the Shopify stand-in. When set, every Admin API call for `<shop>` goes to
     * `${DEVSTORE_URL}/shops/<shop>/…` instead of `https://<shop>/…`. Never set in production.
     */
    DEVSTORE_URL: z.string().url().optional(),
    /** Demo-only auth bypass; refused when NODE_ENV=production (see app/shopify.server.ts). */
    DEMO_MODE: z
      .enum(["0", "1", "true", "false"])
      .default("0")
      .transform((v) => v === "1" || v === "true"),
    DEMO_SHOP: z.string().default("growthpilot-demo.myshopify.com"),
    /**
     * Demo only: lifetime of the stand-in's expiring offline tokens. Shopify's is 3600 s; the
     * demo's is short so token refresh runs on the everyday path. Above 300 s on purpose: the
     * library refreshes any token within 5 minutes of expiry (`WITHIN_MILLISECONDS_OF_EXPIRY` in
     * @shopify/shopify-app-remix), so a shorter life would refresh on every background call.
     */
    DEMO_OFFLINE_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(420),
    /**
     * Demo only: the stand-in withholds what Shopify may withhold from a real install — Level 2
     * protected customer fields and `read_all_orders` (devstore/access.ts) — so the degraded sync
     * and the home page's access banner can be seen.
     */
    DEMO_LIMITED_ACCESS: z
      .enum(["0", "1", "true", "false"])
      .default("0")
      .transform((v) => v === "1" || v === "true"),
    REDIS_URL: z.string().url().optional(),
    /**
     * Redis key prefix of the job queues (default "gp"). Web and worker processes of one deployment
     * must agree on it (`npm run worker -- --prefix` overrides it for the worker).
     */
    JOBS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, '-' and '_' only")
      .optional(),
    PORT: z.coerce.number().int().positive().default(3000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.DEMO_MODE) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["DEMO_MODE"],
        message: "DEMO_MODE cannot be enabled in production",
      });
    }
    // The demo defaults are in this public repository: a production process running on them would
    // accept webhooks and app proxy requests anyone can sign (e.g. a forged shop/redact).
    if (env.NODE_ENV === "production" && env.SHOPIFY_API_SECRET === DEMO_API_SECRET) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["SHOPIFY_API_SECRET"],
        message: "must be set in production (the demo default is public)",
      });
    }
    if (env.NODE_ENV === "production" && env.SHOPIFY_API_KEY === DEMO_API_KEY) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["SHOPIFY_API_KEY"],
        message: "must be set in production (the demo default is public)",
      });
    }
    // Shopify API secrets are 32+ characters; anything shorter is a placeholder or a typo, and
    // every HMAC (webhooks, app proxy, session tokens) would rest on it.
    if (env.NODE_ENV === "production" && env.SHOPIFY_API_SECRET.length < 32) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["SHOPIFY_API_SECRET"],
        message: "is too short for a Shopify API secret (32+ characters expected)",
      });
    }
    // No silent fallback to the embedded single-process database in production.
    if (env.NODE_ENV === "production" && !env.DATABASE_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["DATABASE_URL"],
        message: "must be set in production (PGlite is for the demo only)",
      });
    }
    // The demo bypass signs the admin in as the demo shop: it only makes sense against the stand-in.
    if (env.DEMO_MODE && !env.DEVSTORE_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["DEMO_MODE"],
        message: "needs DEVSTORE_URL (the demo runs against the Shopify stand-in only)",
      });
    }
    if (env.NODE_ENV === "production" && env.DEVSTORE_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["DEVSTORE_URL"],
        message: "DEVSTORE_URL cannot be set in production",
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

/** Parses an environment object; throws one readable error listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
