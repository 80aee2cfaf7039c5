// Prints one plain closing line, "jest: N passed, N failed, N skipped", that any CI log reader
// understands, after jest's own summary; before it, the name of each skipped test, so a skip is
// never only a number (the test itself says why: test/helpers/skip.ts).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'pending' || test.status === 'todo') {
          process.stdout.write(`jest: omitida: ${file.testFilePath.replace(process.cwd() + '/', '')} › ${test.fullName}\n`);
        }
      }
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
