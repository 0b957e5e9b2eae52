// Differential-test driver: each stdin line is a JSON list of {ast, variables, tables};
// each stdout line is the JSON list of KeyvexFormula.evaluate results, in order.
// Arguments: formula.js, then any files that register more functions (formula-more.js).
"use strict";
const path = require("path");
const readline = require("readline");
const KeyvexFormula = require(path.resolve(process.argv[2]));
process.argv.slice(3).forEach((file) => require(path.resolve(file)));

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const cases = JSON.parse(line);
  const results = cases.map((c) => {
    const result = KeyvexFormula.evaluate(c.ast, c.variables, c.tables);
    if (result.ok && typeof result.value === "number" && Object.is(result.value, -0)) {
      result.value = 0;
    }
    return result;
  });
  process.stdout.write(JSON.stringify(results) + "\n");
});
