import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The analytics engine must stay pure (docs/contracts.md §1): no I/O, platform SDKs, wall clock or hidden
 * randomness, so that the CLI, the app and the benchmarks get identical, reproducible results.
 * This parses every source file under app/analytics/ and fails on a forbidden import or usage.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const analyticsDir = join(root, "app", "analytics");

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split("/")[0]]));
const FORBIDDEN_PACKAGE_PREFIXES = ["@prisma/", "@shopify/", "@remix-run/"];
const FORBIDDEN_PACKAGES = new Set(["react", "react-dom", "prisma", "pg", "ioredis", "bullmq", "@electric-sql/pglite"]);

/**
 * Violations for one file (path used to resolve relative imports). Parsed with the TypeScript
 * compiler, so comments, strings and regex literals cannot hide or fake a violation.
 */
export function purityViolations(file: string, source: string): string[] {
  const out: string[] = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const checkSpecifier = (spec: string) => {
    const bare = spec.startsWith("node:")
      ? spec
      : spec
          .split("/")
          .slice(0, spec.startsWith("@") ? 2 : 1)
          .join("/");
    if (spec.startsWith("node:") || BUILTINS.has(bare)) out.push(`imports Node built-in "${spec}"`);
    else if (FORBIDDEN_PACKAGE_PREFIXES.some((p) => spec.startsWith(p)) || FORBIDDEN_PACKAGES.has(bare))
      out.push(`imports "${spec}"`);
    else if (spec.startsWith(".") || spec.startsWith("~/") || spec.startsWith("/")) {
      const target = spec.startsWith("~/") ? join(root, "app", spec.slice(2)) : resolve(dirname(file), spec);
      const rel = relative(analyticsDir, target);
      if (rel.startsWith("..") || rel.startsWith(sep)) out.push(`imports "${spec}" from outside app/analytics`);
    }
  };
  const text = (n: ts.Node) => n.getText(sf).replace(/\s+/g, "");
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      checkSpecifier(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      checkSpecifier(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === "require";
      if ((isDynamicImport || isRequire) && node.arguments[0]) {
        const arg = node.arguments[0];
        if (ts.isStringLiteralLike(arg)) checkSpecifier(arg.text);
        else out.push("imports a computed module specifier");
      }
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "Date" &&
      (!node.arguments || node.arguments.length === 0)
    ) {
      out.push("uses argument-less new Date() (pass asOf instead)");
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const t = text(node);
      if (/^(globalThis\.)?process(\.env|\[["'`]env["'`]\])$/.test(t))
        out.push("uses process.env (configuration belongs to the caller)");
      if (/^(globalThis\.)?Date\.now$/.test(t)) out.push("uses Date.now (pass asOf instead)");
      if (/^(globalThis\.)?Math\.random$/.test(t)) out.push("uses Math.random (use the injected Rng)");
      if (/^(globalThis\.)?crypto\.(getRandomValues|randomUUID|randomInt|randomBytes)$/.test(t))
        out.push("uses crypto randomness (use the injected Rng)");
      if (/^(globalThis\.)?performance\.now$/.test(t)) out.push("uses performance.now (timing belongs in bench/)");
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(c|m)?(t|j)sx?$/.test(name) ? [full] : [];
  });
}

describe("app/analytics is pure", () => {
  const files = sourceFiles(analyticsDir);

  it("has files to check", () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it("imports no I/O, platform SDKs or app code and uses no clock, env or hidden randomness", () => {
    const problems = files.flatMap((f) =>
      purityViolations(f, readFileSync(f, "utf8")).map((v) => `${relative(root, f)}: ${v}`),
    );
    expect(problems).toEqual([]);
  });
});

describe("the purity scanner itself", () => {
  const f = join(analyticsDir, "customers", "example.ts");
  const bad: Record<string, string> = {
    fs: 'import { readFileSync } from "fs";',
    "node:path": "import path from 'node:path';",
    "fs/promises dynamic": 'const m = await import("fs/promises");',
    require: 'const os = require("os");',
    prisma: 'import { PrismaClient } from "@prisma/client";',
    shopify: 'import { shopifyApp } from "@shopify/shopify-app-remix/server";',
    remix: 'import { json } from "@remix-run/node";',
    react: 'import React from "react";',
    "app code": 'import { db } from "../../db.server";',
    "app alias": 'import { db } from "~/db.server";',
    "re-export": 'export * from "../../models/customer.server";',
    "process.env": "const k = process.env.SECRET;",
    "Date.now": "const t = Date.now();",
    "new Date()": "const t = new Date();",
    "new Date": "const t = new Date;",
    "Math.random": "const u = Math.random();",
    "template literal": "const s = `${Date.now()}`;",
    "regex literal with quotes before": 'const q = s.replace(/"/g, ""); const u = Math.random();',
    "globalThis.process.env": "const k = globalThis.process.env.X;",
    "element access env": 'const k = process["env"].X;',
  };
  for (const [name, source] of Object.entries(bad)) {
    it(`flags ${name}`, () => expect(purityViolations(f, source).length).toBeGreaterThan(0));
  }

  it("allows pure code, new Date(ms), ml-matrix and sibling imports, and prose in comments/strings", () => {
    const ok = [
      'import { Matrix } from "ml-matrix";',
      'import type { Order } from "../types";',
      'import { mulberry32 } from "~/analytics/rng";',
      "const iso = new Date(asOf).toISOString();",
      "// never call Date.now() or Math.random here",
      "/** no process.env */ const s = 'Math.random is banned';",
    ].join("\n");
    expect(purityViolations(f, ok)).toEqual([]);
  });
});
