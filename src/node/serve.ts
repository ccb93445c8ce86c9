/**
 * Serves a built app over HTTP on 127.0.0.1, cross-origin isolated by default (so pages get the
 * 5 µs clock), optionally with extra headers (e.g. a CSP that blocks workers, for tests).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export interface ServeOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Send COOP/COEP (default true). */
  isolated?: boolean;
  /** Extra headers for every response, or per request path. */
  headers?: Record<string, string> | ((path: string) => Record<string, string>);
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveDirectory(dir: string, options: ServeOptions = {}): Promise<RunningServer> {
  const files = sirv(dir, { dev: true, etag: false, single: true });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const extra = typeof options.headers === 'function' ? options.headers(path) : (options.headers ?? {});
    const headers = { ...(options.isolated === false ? {} : ISOLATION_HEADERS), 'Cache-Control': 'no-store', ...extra };
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    files(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
