/**
 * Cookies by hand: @fastify/cookie 11 loads the ESM-only `cookie` 2 through a dynamic import, which
 * ts-jest cannot run in the CommonJS tests. Our cookies are our own
 * (base64url values), so reading and writing them needs no general parser.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export function getCookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  httpOnly: true;
  sameSite: 'lax' | 'strict';
  secure: boolean;
  /** Seconds; 0 removes the cookie. Without it, a session cookie. */
  maxAge?: number;
}

export function setCookie(reply: FastifyReply, name: string, value: string, opts: CookieOptions): void {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${opts.sameSite === 'lax' ? 'Lax' : 'Strict'}`];
  if (opts.secure) parts.push('Secure');
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  const previous = reply.getHeader('set-cookie');
  const list = previous === undefined ? [] : Array.isArray(previous) ? previous.map(String) : [String(previous)];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}
