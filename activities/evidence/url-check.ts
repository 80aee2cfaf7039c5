/**
 * Checks that an evidence link opens: http(s) only, every hop's address vetted before it is
 * contacted, redirects followed by hand, one deadline for the whole check. Failures come back as
 * codes; only programming errors throw.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isBlockedAddress, type AddressPolicy } from './address-policy';
import type { EvidenceCheckCode } from './types';

/** Resolves a host name to its addresses; injectable so tests can map names to local servers. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export const systemResolveHost: ResolveHost = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export interface UrlCheckOptions extends AddressPolicy {
  timeoutMs: number;
  maxRedirects: number;
  resolveHost: ResolveHost;
}

export interface UrlOutcome {
  code: EvidenceCheckCode;
  status?: number;
  finalUrl?: string;
  redirects?: number;
}

interface Target {
  address: string;
  family: 4 | 6;
}

interface Answer {
  status: number;
  location?: string;
}

const USER_AGENT = 'plazos-evidence-check/0.1';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The URL if it is an http(s) link, otherwise null. */
export function parseWebUrl(raw: string, base?: URL): URL | null {
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

// URL keeps IPv6 literals in brackets; sockets and DNS want them bare.
function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

// DNS lookups cannot be cancelled, so the deadline races them instead.
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const reason = (): Error => (signal.reason instanceof Error ? signal.reason : new Error('Aborted'));
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Resolves the host once and refuses it if any of its addresses is internal. */
async function vetHost(url: URL, options: UrlCheckOptions, signal: AbortSignal): Promise<Target | EvidenceCheckCode> {
  const host = bareHostname(url);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await untilAborted(options.resolveHost(host), signal);
  } catch (err) {
    if (signal.aborted) throw err;
    return 'dns';
  }
  const first = addresses[0];
  if (first === undefined) return 'dns';
  if (addresses.some((a) => isBlockedAddress(a, options))) return 'blocked-address';
  return { address: first, family: isIP(first) === 6 ? 6 : 4 };
}

// Hands the socket the address we vetted instead of letting it resolve the name again, so a
// DNS answer that changes between our check and the connection (rebinding) cannot swap it.
// With autoSelectFamily (on by default in Node 20) the socket asks for all addresses at once.
function pinnedLookup(target: Target): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

function request(url: URL, target: Target, method: 'HEAD' | 'GET', signal: AbortSignal): Promise<Answer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: bareHostname(url),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method,
        headers: { 'user-agent': USER_AGENT, accept: '*/*' },
        agent: false,
        lookup: pinnedLookup(target),
        signal,
      },
      (res) => {
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
        // The status is all we need: dropping the connection means no body is read.
        res.destroy();
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// Some servers do not implement HEAD; only then do we ask with GET.
async function probe(url: URL, target: Target, signal: AbortSignal): Promise<Answer> {
  const head = await request(url, target, 'HEAD', signal);
  if (head.status !== 405 && head.status !== 501) return head;
  return request(url, target, 'GET', signal);
}

/** Undefined when the answer is not a redirect, null when it redirects somewhere not http(s). */
function redirectTarget(answer: Answer, from: URL): URL | null | undefined {
  if (!REDIRECT_STATUSES.has(answer.status) || answer.location === undefined) return undefined;
  return parseWebUrl(answer.location, from);
}

async function follow(start: URL, options: UrlCheckOptions, signal: AbortSignal): Promise<UrlOutcome> {
  let url = start;
  for (let redirects = 0; ; redirects++) {
    const target = await vetHost(url, options, signal);
    if (typeof target === 'string') return { code: target, redirects };
    const answer = await probe(url, target, signal);
    const next = redirectTarget(answer, url);
    if (next === undefined) {
      const code = answer.status < 400 ? 'ok' : 'http-status';
      return { code, status: answer.status, finalUrl: url.href, redirects };
    }
    if (next === null) return { code: 'bad-scheme', redirects };
    if (redirects >= options.maxRedirects) return { code: 'too-many-redirects', status: answer.status, redirects };
    url = next;
  }
}

// Socket, TLS and HTTP parser failures all carry a code; an invalid argument is our own bug.
function isNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !code.startsWith('ERR_INVALID_ARG');
}

export async function checkUrl(raw: string, options: UrlCheckOptions): Promise<UrlOutcome> {
  const start = parseWebUrl(raw);
  if (start === null) return { code: 'bad-scheme' };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('Evidence URL check deadline passed')), options.timeoutMs);
  try {
    return await follow(start, options, controller.signal);
  } catch (err) {
    if (controller.signal.aborted) return { code: 'timeout' };
    if (isNetworkError(err)) return { code: 'network' };
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
