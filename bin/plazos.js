#!/usr/bin/env node
'use strict';
// The CLI runs from the compiled build; `npm run setup` (run by npm start and npm test) makes it.
let cli;
try {
  cli = require('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]cli[\\/]main/.test(err.message)) {
    process.stderr.write('plazos no está compilado: ejecute "npm run setup" en la raíz del repositorio.\n');
    process.exit(2);
  }
  throw err;
}
void cli.main(process.argv);
