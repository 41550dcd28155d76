import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { AuthScopes } from "@shopify/shopify-api";
import { getNamedType, isObjectType, parse, TypeInfo, visit, visitWithTypeInfo } from "graphql";
import { describe, expect, it } from "vitest";
import { adminSchema, API_VERSION } from "../../devstore/schema";
import { APP_SCOPES, APP_SCOPE_REASONS } from "~/shopify/scopes";

/**
 * Scopes are derived, not guessed: Shopify's introspection JSON carries a `requiredAccess` note on
 * types and fields ("`read_orders` access scope or `read_marketplace_orders` access scope.",
 * "Apps must have `write_discounts` access scope."). For every field every document selects, the
 * note of the field and of the type it returns must be satisfied by the declared scopes; and every
 * declared scope must be needed by some document or by a need no document shows.
 */

type Requirement = { anyOf: string[]; source: string };

const raw = JSON.parse(gunzipSync(readFileSync(`shopify-schema/admin_${API_VERSION}.json.gz`)).toString("utf8")).data
  .__schema as {
  types: {
    name: string;
    requiredAccess: string | null;
    fields: { name: string; requiredAccess: string | null }[] | null;
  }[];
};
const typeAccess = new Map(raw.types.map((t) => [t.name, t.requiredAccess]));
const fieldAccess = new Map<string, string | null>(
  raw.types.flatMap((t) =>
    (t.fields ?? []).map((f) => [`${t.name}.${f.name}`, f.requiredAccess] as [string, string | null]),
  ),
);

/**
 * Notes that name no scope: the need depends on the resource the call touches. Keyed by document
 * field; the value is what our documents touch (they only ever target these owners).
 */
const OWNER_DEPENDENT: Record<string, string[][]> = {
  // "the same access level needed to mutate the owner resource": our metafields live on products
  // (bought together / also bought) and customers (for you, automation offers).
  "Mutation.metafieldsSet": [["write_products"], ["write_customers"]],
  "Mutation.metafieldsDelete": [["write_products"], ["write_customers"]],
  // "access to the namespace and the resource type": app-owned definitions on products and customers.
  "Mutation.metafieldDefinitionCreate": [["write_products"], ["write_customers"]],
  // No note in the schema; tagging a customer is a customer write (tagsAdd docs: the resource's write scope).
  "Mutation.tagsAdd": [["write_customers"]],
  "Mutation.tagsRemove": [["write_customers"]],
};
/** Notes about the token type, not a scope (bulk operations need an offline or online Admin token). */
const NOT_A_SCOPE = /Only accessible by supported access tokens/;

/** Needs no GraphQL document shows. */
const NON_DOCUMENT_NEEDS: Partial<Record<string, string>> = {
  read_all_orders: "orders older than 60 days are invisible without it (Order object note)",
  write_app_proxy: "declaring [app_proxy] in shopify.app.toml",
};

function parseNote(note: string, source: string): Requirement[] {
  const [main, ...also] = note.split(/Also:/);
  const reqs: Requirement[] = [];
  const scopes = (text: string) =>
    [...text.matchAll(/`((?:read|write|unauthenticated_read|unauthenticated_write)_[a-z_]+)`/g)].map((m) => m[1]);
  const anyOf = scopes(main);
  if (anyOf.length) reqs.push({ anyOf, source });
  for (const part of also) for (const s of scopes(part)) reqs.push({ anyOf: [s], source: `${source} (also)` });
  return reqs;
}

async function documentRequirements(): Promise<{ requirements: Requirement[]; unexplained: string[] }> {
  const schema = adminSchema();
  const requirements: Requirement[] = [];
  const unexplained: string[] = [];
  const modules = import.meta.glob<Record<string, unknown>>("../../app/shopify/documents/*.ts");
  for (const [path, load] of Object.entries(modules)) {
    const file = path.split("/").pop()!;
    const mod = await load();
    const bodies = Object.values(mod).filter(
      (v): v is string => typeof v === "string" && /^\s*(query|mutation)\b/.test(v),
    );
    for (const body of bodies) {
      const info = new TypeInfo(schema);
      visit(
        parse(body),
        visitWithTypeInfo(info, {
          Field() {
            const parent = info.getParentType();
            const def = info.getFieldDef();
            if (!parent || !def) return;
            const key = `${parent.name}.${def.name}`;
            const returned = getNamedType(def.type);
            const notes = [
              [key, fieldAccess.get(key)],
              [returned.name, isObjectType(returned) ? typeAccess.get(returned.name) : null],
            ] as const;
            for (const [source, note] of notes) {
              if (!note || NOT_A_SCOPE.test(note)) continue;
              const parsed = parseNote(note, `${file}: ${source}`);
              if (parsed.length) requirements.push(...parsed);
              else if (OWNER_DEPENDENT[source])
                requirements.push(...OWNER_DEPENDENT[source].map((anyOf) => ({ anyOf, source: `${file}: ${source}` })));
              else unexplained.push(`${file}: ${source}: ${note}`);
            }
            if (OWNER_DEPENDENT[key] && !fieldAccess.get(key)) {
              requirements.push(...OWNER_DEPENDENT[key].map((anyOf) => ({ anyOf, source: `${file}: ${key}` })));
            }
          },
        }),
      );
    }
  }
  return { requirements, unexplained };
}

const unmet = (declared: readonly string[], requirements: Requirement[]) => {
  const granted = new AuthScopes([...declared]);
  return requirements.filter((r) => !r.anyOf.some((s) => granted.has(s)));
};

describe("access scopes", async () => {
  const { requirements, unexplained } = await documentRequirements();

  it("finds the schema's access notes for the documents (the derivation sees something)", () => {
    expect(requirements.length).toBeGreaterThan(10);
    expect(requirements.some((r) => r.anyOf.includes("read_orders"))).toBe(true);
  });

  it("understands every access note of every field the app selects", () => {
    expect(unexplained).toEqual([]);
  });

  it("declares scopes that cover every document", () => {
    expect(unmet(APP_SCOPES, requirements).map((r) => `${r.source}: ${r.anyOf.join(" | ")}`)).toEqual([]);
  });

  it("declares no scope that nothing needs (minimal)", () => {
    for (const scope of APP_SCOPES) {
      const without = APP_SCOPES.filter((s) => s !== scope);
      const neededByDocuments = unmet(without, requirements).length > 0;
      expect({ scope, needed: neededByDocuments || Boolean(NON_DOCUMENT_NEEDS[scope]) }).toEqual({
        scope,
        needed: true,
      });
    }
  });

  it("fails when a needed scope is missing (the check can fail)", () => {
    const missing = unmet(
      APP_SCOPES.filter((s) => s !== "write_discounts"),
      requirements,
    );
    expect(missing.some((r) => r.anyOf.includes("write_discounts"))).toBe(true);
  });

  it("does not list a read scope its write scope implies", () => {
    for (const scope of APP_SCOPES) {
      if (scope.startsWith("read_")) expect(APP_SCOPES).not.toContain(scope.replace(/^read_/, "write_"));
    }
    expect(Object.keys(APP_SCOPE_REASONS)).toEqual(APP_SCOPES);
  });
});
