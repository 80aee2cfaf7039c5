/**
 * A local web server that publishes the simulation's evidence, so the real link check runs against
 * a real HTTP answer: `/evidencia/...` answers 200, `/no-existe/...` answers 404.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EvidenceServer {
  readonly host: string;
  /** A link that answers 200. */
  url(path: string): string;
  /** A link that answers 404. */
  brokenUrl(path: string): string;
  close(): Promise<void>;
}

export async function startEvidenceServer(): Promise<EvidenceServer> {
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/evidencia/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : '<!doctype html><title>Evidencia</title><p>Informe publicado.</p>');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : 'No existe');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    host: '127.0.0.1',
    url: (path) => `${base}/evidencia/${encodeURIComponent(path)}`,
    brokenUrl: (path) => `${base}/no-existe/${encodeURIComponent(path)}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
