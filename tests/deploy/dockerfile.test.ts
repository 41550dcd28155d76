import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Docker cannot run on the development machines (no daemon), so the image is never built in CI
 * here. This test keeps the Dockerfile honest instead: every file it copies from the build context
 * exists and is not excluded by .dockerignore, every npm script it runs exists, and the entrypoint
 * starts the real web, worker and migration entry points.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
const dockerignore = readFileSync(path.join(ROOT, ".dockerignore"), "utf8");
const entrypoint = readFileSync(path.join(ROOT, "docker/entrypoint.sh"), "utf8");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

/** Instructions with backslash continuations joined. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

/** Minimal .dockerignore matcher: top-level names, `**` globs and `!` exceptions, last match wins. */
function ignored(file: string): boolean {
  let result = false;
  for (const raw of dockerignore.split("\n").map((l) => l.trim())) {
    if (!raw || raw.startsWith("#")) continue;
    const negate = raw.startsWith("!");
    const pattern = negate ? raw.slice(1) : raw;
    const re = new RegExp(
      "^" +
        pattern
          .replace(/[.+^${}()|[\]]/g, "\\$&")
          .replace(/\*\*\//g, "(?:.*/)?")
          .replace(/\*/g, "[^/]*") +
        "(?:/.*)?$",
    );
    if (re.test(file)) result = !negate;
  }
  return result;
}

describe("Dockerfile", () => {
  it("is multi-stage on node:22-slim with npm ci, prisma generate and npm run build", () => {
    const froms = instructions.filter((l) => l.startsWith("FROM "));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toMatch(/^FROM node:22-slim\b/);
    const runs = instructions.filter((l) => l.startsWith("RUN ")).join("\n");
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).toMatch(/\bprisma generate\b/);
    expect(runs).toMatch(/\bnpm run build\b/);
    expect(pkg.scripts.build).toBeDefined();
    expect(pkg.scripts.postinstall).toMatch(/postinstall\.mjs/);
    expect(
      pkg.dependencies.tsx,
      "the runtime runs TypeScript entry points through tsx: it must not be a devDependency",
    ).toBeDefined();
  });

  it("copies only files that exist in the build context and are not .dockerignored", () => {
    const copies = instructions.filter((l) => l.startsWith("COPY ") && !l.includes("--from="));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const args = copy
        .split(/\s+/)
        .slice(1)
        .filter((a) => !a.startsWith("--"));
      for (const src of args.slice(0, -1)) {
        if (src === ".") continue;
        expect(existsSync(path.join(ROOT, src)), `${src} (${copy})`).toBe(true);
        expect(ignored(src), `${src} is excluded by .dockerignore`).toBe(false);
      }
    }
  });

  it("copies into the runtime stage what the processes need at run time", () => {
    const fromBuild = instructions
      .filter((l) => l.startsWith("COPY --from=build"))
      .flatMap((l) =>
        l
          .split(/\s+/)
          .slice(1)
          .filter((a) => !a.startsWith("--"))
          .slice(0, -1),
      )
      .map((p) => p.replace(/^\/app\//, ""));
    for (const needed of [
      "node_modules",
      "build",
      "app",
      "prisma",
      "package.json",
      "tsconfig.json",
      "docker/entrypoint.sh",
    ]) {
      expect(fromBuild, needed).toContain(needed);
    }
    // Everything copied from the build stage is either produced there or comes from the context.
    for (const p of fromBuild) {
      if (p === "node_modules" || p === "build") continue;
      expect(existsSync(path.join(ROOT, p)), p).toBe(true);
      expect(ignored(p), `${p} is excluded by .dockerignore`).toBe(false);
    }
    // Sources the Remix build and the runtime read must be in the context.
    for (const p of [
      "app/server/main.ts",
      "app/server/worker.ts",
      "app/db/migrate.cli.ts",
      "prisma/schema.prisma",
      "prisma/migrations",
      "vite.config.ts",
      "public",
      "scripts/postinstall.mjs",
      "package-lock.json",
    ]) {
      expect(existsSync(path.join(ROOT, p)), p).toBe(true);
      expect(ignored(p), `${p} is excluded by .dockerignore`).toBe(false);
    }
    // Secrets and local state never enter the context.
    for (const p of [".env", ".data/pglite", "node_modules/x", "build/server/index.js", ".git/config"])
      expect(ignored(p), p).toBe(true);
  });

  it("enters through docker/entrypoint.sh: web = migrate then app/server/main.ts; worker; migrate", () => {
    expect(instructions).toContain('ENTRYPOINT ["/app/docker/entrypoint.sh"]');
    expect(instructions).toContain('CMD ["web"]');
    expect(() => accessSync(path.join(ROOT, "docker/entrypoint.sh"), constants.X_OK)).not.toThrow();
    expect(entrypoint.startsWith("#!/bin/sh")).toBe(true);
    const web = entrypoint.slice(entrypoint.indexOf("web)"), entrypoint.indexOf(";;", entrypoint.indexOf("web)")));
    expect(web.indexOf("app/db/migrate.cli.ts")).toBeGreaterThan(-1);
    expect(web.indexOf("app/db/migrate.cli.ts")).toBeLessThan(web.indexOf("app/server/main.ts"));
    expect(entrypoint).toMatch(/worker\)\s+exec node --import tsx app\/server\/worker\.ts/);
    for (const file of entrypoint.match(/app\/[\w/.-]+\.ts/g)!)
      expect(statSync(path.join(ROOT, file)).isFile(), file).toBe(true);
    // The npm scripts document the same entry points.
    expect(pkg.scripts.worker).toContain("app/server/worker.ts");
    expect(pkg.scripts["db:migrate"]).toContain("app/db/migrate.cli.ts");
  });

  it("health-checks the /healthz route, which exists", () => {
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(existsSync(path.join(ROOT, "app/routes/healthz.tsx"))).toBe(true);
  });
});
