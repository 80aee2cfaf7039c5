/**
 * The credentials an entity downloads for plazos, made fresh for each test: an app certificate
 * with its key (as uploaded to Entra ID), and a Google service account's JSON key file. openssl
 * makes the certificates; an expired one needs `openssl ca`, the one command that takes a start
 * and end date in the past.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(args: string[], cwd: string): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
}

export interface TestCertificate {
  certFile: string;
  keyFile: string;
}

/** A self-signed RSA certificate valid for two days, or, with `expiredOn`, one that ended on that day. */
export function makeClientCertificate(dir: string, name: string, opts: { expiredOn?: string } = {}): TestCertificate {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  if (!opts.expiredOn) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', keyFile, '-out', certFile], dir);
    return { certFile, keyFile };
  }
  const ca = join(dir, `${name}-ca`);
  mkdirSync(ca, { recursive: true });
  writeFileSync(join(ca, 'index.txt'), '');
  writeFileSync(join(ca, 'serial'), '01\n');
  writeFileSync(
    join(ca, 'ca.cnf'),
    `[ca]\ndefault_ca = x\n[x]\ndatabase = ${ca}/index.txt\nnew_certs_dir = ${ca}\nserial = ${ca}/serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n`,
  );
  const csr = join(ca, 'req.csr');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', keyFile, '-out', csr], dir);
  const end = `${opts.expiredOn.replaceAll('-', '').slice(2)}000000Z`;
  openssl(
    [
      'ca',
      '-batch',
      '-notext',
      '-config',
      join(ca, 'ca.cnf'),
      '-selfsign',
      '-keyfile',
      keyFile,
      '-in',
      csr,
      '-startdate',
      '240101000000Z',
      '-enddate',
      end,
      '-out',
      certFile,
    ],
    dir,
  );
  return { certFile, keyFile };
}

export interface TestServiceAccount {
  clientEmail: string;
  /** The numeric id the Admin console grants delegation to. */
  clientId: string;
  /** What the authorization server checks the assertions with. */
  publicJwk: JsonWebKey;
  /** Writes the JSON key file as Google Cloud's console downloads it, pointed at `tokenUri`. */
  writeKeyFile(dir: string, tokenUri: string): string;
}

export function makeServiceAccount(name = 'plazos-correo'): TestServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = `${name}@entidad-proyecto.iam.gserviceaccount.com`;
  const clientId = `1${String(Math.random()).slice(2, 12).padEnd(10, '7')}0042`;
  return {
    clientEmail,
    clientId,
    publicJwk: publicKey.export({ format: 'jwk' }),
    writeKeyFile(dir, tokenUri) {
      const file = join(dir, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          type: 'service_account',
          project_id: 'entidad-proyecto',
          private_key_id: Math.random().toString(16).slice(2),
          private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
          client_email: clientEmail,
          client_id: clientId,
          auth_uri: 'https://accounts.google.com/o/oauth2/auth',
          token_uri: tokenUri,
        }),
      );
      return file;
    },
  };
}
