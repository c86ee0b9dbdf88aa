// Prints the plain closing line "tests: N passed, N failed, N skipped" after Jest's own summary, and
// keeps it in .tmp/test-summary.txt so .ci/run can repeat it as its last line.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTodoTests: todo } = results;
    const line = `tests: ${passed} passed, ${failed} failed, ${skipped + todo} skipped`;
    process.stdout.write(`\n${line}\n`);
    const dir = path.join(this.rootDir, '.tmp');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'test-summary.txt'), `${line}\n`);
  }
}
module.exports = SummaryReporter;
