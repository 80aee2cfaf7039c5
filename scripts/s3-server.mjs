#!/usr/bin/env node
// Builds the S3 server the tests run the blob store's S3 engine against: the Versity S3 Gateway
// (pinned in config/tools.json) into .tools/bin/versitygw-<version>/. A real S3 implementation from
// a registry rather than a mock, so the tests see what a real bucket answers (checksums, error
// codes, listing). The first build takes about a minute on 2 cores.
import { buildGoTools, tools } from './go-build.mjs';

const { s3Server } = tools;
buildGoTools({
  name: 'versitygw',
  module: s3Server.module,
  version: s3Server.version,
  binaries: { [s3Server.binary]: s3Server.package },
  what: 'el servidor S3 de las pruebas (versitygw)',
  duration: 'alrededor de un minuto',
});
