#!/usr/bin/env node
// Builds Temporal's server and its SQL schema tool from source, once per version, for
// `npm run test:cluster` (pinned in config/tools.json, the same version docker-compose.yml runs)
// into .tools/bin/temporal-server-<version>/, with the PostgreSQL schema files of that module next
// to them (the admin-tools image's /etc/temporal/schema/postgresql/v12). The first build takes
// ~10 min on 2 cores; later runs find the stamp and do nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildGoTools, tools } from './go-build.mjs';

const { server } = tools;
buildGoTools({
  name: 'temporal-server',
  module: server.module,
  version: server.version,
  binaries: server.binaries,
  what: 'el servidor de Temporal',
  duration: 'unos 10 minutos',
  has: (target) => existsSync(join(target, 'schema')),
  extra(tmp, { go, env, fail }) {
    // The schema files come from the module just built, in Go's module cache.
    const info = spawnSync(go, ['mod', 'download', '-json', `${server.module}@v${server.version}`], { env, encoding: 'utf8' });
    if (info.status !== 0) fail(`go mod download terminó con código ${info.status}:\n${info.stderr}`);
    cpSync(join(JSON.parse(info.stdout).Dir, server.schemaDir), join(tmp, 'schema'), { recursive: true });
    // Go's module cache is read-only; the copy must not be, or the next upgrade could not remove it.
    spawnSync('chmod', ['-R', 'u+w', join(tmp, 'schema')]);
  },
});
