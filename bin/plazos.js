#!/usr/bin/env node
'use strict';
// The CLI runs from the compiled build; `npm run setup` (run by npm start and npm test) makes it.
//
// The build also bundles it into one file, dist/cli/main.bundle.js (cli/bundle.ts), which this loads
// with a V8 code cache kept beside it, when the bundle is at least as new as the last TypeScript
// build (else dist/cli/main.js: the bundle could hold older code). Start-up is most of what a
// `plazos plan validate` costs: see bench/cli-startup.ts.
const fs = require('node:fs');
const path = require('node:path');

/**
 * On a Node older than package.json's engines (a machine whose only Node is 20, where a user types
 * `node bin/plazos.js` or runs a linked `plazos`): the same command on the Node 24 that set-up
 * unpacked into .tools/node/, or one line saying how to get it. Node has no exec(), so this process
 * waits for that one and ends as it did.
 */
function reexecOnSupportedNode() {
  const wanted = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(require('../package.json').engines.node).slice(1).map(Number);
  const have = process.versions.node.split('.').map(Number);
  const index = have.findIndex((n, i) => n !== wanted[i]);
  if (index === -1 || have[index] > wanted[index]) return false;
  const nodeBin = path.join(__dirname, '..', '.tools', 'node', 'bin');
  const node = path.join(nodeBin, 'node');
  if (!fs.existsSync(node)) {
    process.stderr.write(
      `plazos necesita Node ${wanted.join('.')} o posterior y este es ${process.versions.node}: ejecute "npm run setup" en la raíz del repositorio, que trae Node 24 a .tools/node/.\n`,
    );
    process.exit(2);
  }
  const { spawn } = require('node:child_process');
  const env = { ...process.env, PATH: `${nodeBin}${path.delimiter}${process.env.PATH || ''}` };
  const child = spawn(node, [__filename, ...process.argv.slice(2)], { stdio: 'inherit', env });
  // Ctrl-C at a terminal reaches the whole foreground process group, the child too, and a second
  // SIGINT would kill `plazos up` in the middle of stopping; anything else is relayed.
  const relay = (signal) => {
    if (signal !== 'SIGINT' || !inTerminalForeground()) child.kill(signal);
  };
  process.on('SIGINT', relay);
  process.on('SIGTERM', relay);
  child.on('error', (err) => {
    process.stderr.write(`plazos: no se pudo ejecutar ${node}: ${err.message}\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code === null ? 1 : code);
    process.removeAllListeners(signal);
    process.exitCode = 128 + (require('node:os').constants.signals[signal] || 0);
    process.kill(process.pid, signal);
  });
  return true;
}

/** Whether this process is in its terminal's foreground process group (Linux: /proc; elsewhere false). */
function inTerminalForeground() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const [, , pgrp, , , tpgid] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return tpgid > 0 && tpgid === pgrp;
  } catch {
    return false;
  }
}

const dist = path.join(__dirname, '..', 'dist');
const bundle = path.join(dist, 'cli', 'main.bundle.js');

/** dist/.tsbuildinfo is written by every `tsc -b`; a bundle older than it is stale. */
function freshBundle() {
  try {
    const built = fs.statSync(bundle);
    const info = fs.statSync(path.join(dist, '.tsbuildinfo'), { throwIfNoEntry: false });
    return !info || info.mtimeMs <= built.mtimeMs ? built : null;
  } catch {
    return null;
  }
}

// The cache file starts with one line naming the bundle it was made from (size and time): V8
// checks only the source's length, and a cache of other code of the same length would run that code.
const CLI_CODE_CACHE_FORMAT = 'plazos-cli-code-cache-1';

/** Runs the bundle as require() would, compiled with its code cache; writes the cache when there was none to use. */
function loadBundle(stat) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const cacheFile = `${bundle}.cache`;
  const stamp = Buffer.from(`${CLI_CODE_CACHE_FORMAT} ${stat.size} ${stat.mtimeMs}\n`);
  let cachedData;
  try {
    const saved = fs.readFileSync(cacheFile);
    if (saved.subarray(0, stamp.length).equals(stamp)) cachedData = saved.subarray(stamp.length);
  } catch {
    // no cache yet: this run writes it
  }
  const source = fs.readFileSync(bundle, 'utf8');
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  const localRequire = (id) => mod.require(id);
  localRequire.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  localRequire.main = require.main;
  localRequire.cache = Module._cache;
  script.runInThisContext().call(mod.exports, mod.exports, localRequire, mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit the cache also holds the functions this command compiled, not just the top level.
    // Best effort: a read-only install (the container image) keeps the one made at build time.
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, Buffer.concat([stamp, script.createCachedData()]));
        fs.renameSync(tmp, cacheFile);
      } catch {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          // nothing was written
        }
      }
    });
  }
  return mod.exports;
}

function main() {
  let cli;
  const stat = freshBundle();
  if (stat) {
    cli = loadBundle(stat);
  } else {
    try {
      cli = require('../dist/cli/main.js');
    } catch (err) {
      if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]cli[\\/]main/.test(err.message)) {
        process.stderr.write('plazos no está compilado: ejecute "npm run setup" en la raíz del repositorio.\n');
        process.exit(2);
      }
      throw err;
    }
  }
  void cli.main(process.argv);
}

if (!reexecOnSupportedNode()) main();
