// Bundles src/ into dist/ (served at /console/): one hashed script and stylesheet, and index.html
// naming them. No inline script or style anywhere, so the pages run under `script-src 'self'`.
import { build } from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename } from "node:path";

const BASE = "/console/";
const OUT = "dist";

await rm(OUT, { recursive: true, force: true });
await mkdir(`${OUT}/assets`, { recursive: true });
const result = await build({
  entryPoints: ["src/main.tsx"],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020"],
  jsx: "automatic",
  jsxImportSource: "preact",
  entryNames: "[name]-[hash]",
  outdir: `${OUT}/assets`,
  metafile: true,
  legalComments: "linked",
  logLevel: "warning",
});
const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const script = outputs.find((name) => name.endsWith(".js"));
const style = outputs.find((name) => name.endsWith(".css"));
if (!script || !style) throw new Error(`expected a script and a stylesheet, got ${outputs}`);
const page = (await readFile("src/index.html", "utf8"))
  .replaceAll("%SCRIPT%", `${BASE}assets/${script}`)
  .replaceAll("%STYLE%", `${BASE}assets/${style}`);
await writeFile(`${OUT}/index.html`, page);
console.log(`console: ${OUT}/index.html, assets/${script}, assets/${style}`);
