import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { adminSchema } from "../../devstore/schema";

/**
 * Every GraphQL document the app sends lives in app/shopify/documents/ and must validate against
 * Shopify's real Admin schema for the pinned version. A second test makes sure no document hides
 * elsewhere in app/ (where this test would not see it).
 */
const DOCS_DIR = "app/shopify/documents";

const documentModules = readdirSync(DOCS_DIR).filter((f) => /\.ts$/.test(f));

function isGraphqlDocument(value: unknown): value is string {
  return typeof value === "string" && /^\s*(query|mutation|fragment)\b/.test(value);
}

describe("GraphQL documents", () => {
  it("has document modules", () => {
    expect(documentModules.length).toBeGreaterThan(0);
  });

  for (const file of documentModules) {
    it(`${file}: every exported document validates against the 2026-10 Admin schema`, async () => {
      const mod = (await import(`../../${DOCS_DIR}/${file}`)) as Record<string, unknown>;
      const docs = Object.entries(mod).filter(([, v]) => isGraphqlDocument(v)) as [string, string][];
      expect(docs.length).toBeGreaterThan(0);
      for (const [name, text] of docs) {
        const errors = validate(adminSchema(), parse(text)).map((e) => e.message);
        expect({ name, errors }).toEqual({ name, errors: [] });
      }
    });
  }

  it("rejects a document with a field Shopify does not have (the check can fail)", () => {
    const errors = validate(adminSchema(), parse("query { shop { notARealField } }"));
    expect(errors.length).toBeGreaterThan(0);
  });

  it("no GraphQL document is written outside app/shopify/documents", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) {
          if (full !== DOCS_DIR) walk(full);
        } else if (/\.(ts|tsx)$/.test(entry)) {
          const text = readFileSync(full, "utf8");
          if (/gql`|\/\* GraphQL \*\/|[`"']\s*(query|mutation)\s+[A-Z]\w*\s*[({]/.test(text)) offenders.push(full);
        }
      }
    };
    walk("app");
    expect(offenders).toEqual([]);
  });
});
