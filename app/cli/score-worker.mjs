// Worker-thread entry for `growthpilot score` (see parallel.ts). Workers do not inherit the main
// thread's module hooks, so register tsx's ESM loader here before loading the TypeScript module.
import { register } from "tsx/esm/api";

register();
await import("./score-worker.ts");
