// Runs the console's unit tests (test/*.test.ts) under Node's own test runner: esbuild bundles each
// into .test-build/ first (Node 20 runs no TypeScript).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readdir, rm } from "node:fs/promises";

const OUT = ".test-build";
await rm(OUT, { recursive: true, force: true });
const tests = (await readdir("test")).filter((name) => name.endsWith(".test.ts")).map((name) => `test/${name}`);
await build({
  entryPoints: tests,
  bundle: true,
  platform: "node",
  format: "esm",
  target: ["node20"],
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: OUT,
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
});
const built = tests.map((path) => `${OUT}/${path.slice("test/".length).replace(/\.ts$/, ".mjs")}`);
const run = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...built], { stdio: "inherit" });
process.exit(run.status ?? 1);
