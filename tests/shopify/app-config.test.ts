import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { API_VERSION as DEVSTORE_VERSION } from "../../devstore/schema";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { APP_SCOPES } from "~/shopify/scopes";
import { TOPICS, WEBHOOK_TOPICS } from "~/services/webhooks/topics";
import { topicEnum } from "~/services/shop/install.server";

interface AppToml {
  access_scopes: { scopes: string };
  webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  app_proxy?: { url: string; subpath: string; prefix: string };
}

const toml = parse(readFileSync("shopify.app.toml", "utf8")) as unknown as AppToml;
const declaredTopics = toml.webhooks.subscriptions.flatMap((s) => [
  ...(s.topics ?? []),
  ...(s.compliance_topics ?? []),
]);

describe("shopify.app.toml", () => {
  it("pins the same Admin API version as the code and the stand-in", () => {
    expect(toml.webhooks.api_version).toBe(ADMIN_API_VERSION);
    expect(DEVSTORE_VERSION).toBe(ADMIN_API_VERSION);
  });

  it("requests exactly the scopes the code declares", () => {
    expect(toml.access_scopes.scopes.split(",").sort()).toEqual([...APP_SCOPES].sort());
  });

  it("declares the three mandatory compliance topics", () => {
    const compliance = toml.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
  });

  it("has a handler for every declared topic and declares every handled topic", () => {
    expect([...declaredTopics].sort()).toEqual([...WEBHOOK_TOPICS].sort());
  });

  it("subscribes only to topics of the pinned schema's WebhookSubscriptionTopic enum, each with a payload schema", () => {
    const schema = JSON.parse(
      gunzipSync(readFileSync(`shopify-schema/admin_${ADMIN_API_VERSION}.json.gz`)).toString("utf8"),
    ).data.__schema as {
      types: { name: string; enumValues?: { name: string }[] | null }[];
    };
    const topics = new Set(
      schema.types.find((t) => t.name === "WebhookSubscriptionTopic")!.enumValues!.map((v) => v.name),
    );
    const compliance = new Set(toml.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []));
    for (const topic of declaredTopics) {
      if (!compliance.has(topic)) expect(topics.has(topicEnum(topic)), topic).toBe(true);
      expect(TOPICS[topic as keyof typeof TOPICS]?.schema, topic).toBeDefined();
    }
  });

  it("routes every subscription to the webhook route that exists", () => {
    for (const sub of toml.webhooks.subscriptions) expect(sub.uri).toBe("/webhooks");
    expect(readFileSync("app/routes/webhooks.tsx", "utf8")).toContain("authenticate.webhook");
  });

  it("uses no configuration key the CLI removed", () => {
    // `[build] include_config_on_deploy` was removed from the app configuration (config is always deployed).
    expect((toml as unknown as { build?: Record<string, unknown> }).build).not.toHaveProperty(
      "include_config_on_deploy",
    );
  });

  it("has a shopify.web.toml the CLI can run (roles, commands that exist)", () => {
    const web = parse(readFileSync("shopify.web.toml", "utf8")) as {
      roles: string[];
      webhooks_path?: string;
      commands: Record<string, string>;
    };
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(web.roles.every((r) => ["frontend", "backend", "background"].includes(r))).toBe(true);
    expect(web.roles).toEqual(expect.arrayContaining(["frontend", "backend"]));
    expect(web.webhooks_path).toBe("/webhooks");
    expect(Object.keys(web.commands).every((k) => ["predev", "dev", "build"].includes(k))).toBe(true);
    expect(typeof web.commands.dev).toBe("string");
    for (const command of Object.values(web.commands)) {
      const script = command.match(/^npm run ([\w:-]+)$/)?.[1];
      if (script) expect(scripts).toHaveProperty(script);
      else expect(command).toMatch(/^npm exec (remix|prisma|tsx) /);
    }
  });

  it("declares the app proxy used by the storefront", () => {
    expect(toml.app_proxy?.prefix).toBe("apps");
    expect(toml.app_proxy?.subpath).toBe("growthpilot");
  });
});
