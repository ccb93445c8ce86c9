/**
 * The OTLP exporter against a real HTTP server: only a 2xx acknowledges a request. A collector
 * behind a redirect (302 to a login page that answers 200) must not count as delivered, and
 * what it refused arrives exactly once when the collector answers again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldMerger, pointsOfRequest } from '../core/field/merge.ts';
import type { OtlpMetricsRequest } from '../core/field/otlp.ts';
import { FieldRecorder } from '../core/field/recorder.ts';
import { call, meta } from '../core/field/test-fixtures.ts';
import type { TelemetryApi } from '../worker/api.ts';
import { Exporter } from './export.ts';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = null;
});

/** A collector whose answer to POST /v1/metrics the test sets; it keeps every body it accepted. */
async function collector(): Promise<{ url: string; answer: { status: number }; accepted: string[]; landingGets: number[] }> {
  const answer = { status: 302 };
  const accepted: string[] = [];
  const landingGets: number[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/landing') {
        landingGets.push(1);
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>sign in</p>');
        return;
      }
      if (answer.status === 200) accepted.push(body);
      res.writeHead(answer.status, answer.status === 302 ? { Location: '/landing' } : {}).end();
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const { port } = server!.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, answer, accepted, landingGets };
}

/** The worker's side of the export, in process: a real field recorder. */
function worker(recorder: FieldRecorder): () => Promise<TelemetryApi> {
  const api = {
    fieldCollect: async (o: Parameters<TelemetryApi['fieldCollect']>[0]) => recorder.collect(o),
    fieldAck: async (id: number, ok: boolean) => recorder.ack(id, ok),
  };
  return async () => api as unknown as TelemetryApi;
}

function callsReceived(bodies: string[]): number {
  const merger = new FieldMerger('test');
  for (const b of bodies) merger.addAll(pointsOfRequest(JSON.parse(b) as OtlpMetricsRequest));
  return merger.snapshot().handlers.get('addToCart')?.calls ?? 0;
}

describe('Exporter', () => {
  for (const status of [302, 307, 500, 404]) {
    it(`counts HTTP ${status} as a failure and delivers that data exactly once later`, async () => {
      const c = await collector();
      c.answer.status = status;
      const recorder = new FieldRecorder(meta('s1'));
      for (let i = 0; i < 4; i++) recorder.addCall(call('addToCart', 2));
      const exporter = new Exporter(worker(recorder), { endpoint: c.url }, () => {});

      await exporter.flush();
      expect(exporter.status).toMatchObject({ sent: 0, failed: 1 });
      expect(exporter.status.points.sent).toBe(0);
      expect(exporter.status.pending.points).toBeGreaterThan(0);
      expect(exporter.status.lastError).toMatch(status === 302 || status === 307 ? /redirected/ : new RegExp(String(status)));
      // The redirect was not followed: no GET of the landing page stood in for an answer.
      expect(c.landingGets).toEqual([]);

      // The collector is back; two more calls happened meanwhile.
      c.answer.status = 200;
      recorder.addCall(call('addToCart', 2));
      recorder.addCall(call('addToCart', 2));
      await exporter.flush();
      expect(exporter.status).toMatchObject({ sent: 1, failed: 1 });
      await exporter.flush(); // nothing new: nothing sent again, nothing counted twice
      expect(callsReceived(c.accepted)).toBe(6);
    });
  }
});
