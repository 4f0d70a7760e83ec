// Compiles every example contract to build/<name>.wasm with the settings contracts need:
// the stub runtime (no GC, small), size optimisation, and the start function exported as _initialize
// (a contract may not have a wasm start function; the node runs _initialize, metered, before each entry point).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const out = process.argv[2] || "build";
mkdirSync(out, { recursive: true });
const asc = join("node_modules", ".bin", "asc");
for (const file of readdirSync("examples").filter(f => f.endsWith(".ts"))) {
  const wasm = join(out, file.replace(/\.ts$/, ".wasm"));
  execFileSync(asc, [join("examples", file), "-o", wasm, "--runtime", "stub", "-O3z", "--noAssert",
    "--converge", "--initialMemory", "1", "--maximumMemory", "16", "--exportStart", "_initialize"], { stdio: "inherit" });
  console.log(`${wasm}: ${statSync(wasm).size} bytes`);
}
