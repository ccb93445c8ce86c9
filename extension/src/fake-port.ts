/** An in-memory runtime port pair for tests of the router, the content bridge and the panel connection. */
import type { RouterPort } from './router.ts';

export interface FakePort extends RouterPort {
  sent: unknown[];
  disconnected: boolean;
  /** Delivers a message as if the other end had posted it. */
  receive(msg: unknown): void;
  /** Drops the port as if the other end went away. */
  drop(): void;
}

export function fakePort(name: string, sender?: RouterPort['sender']): FakePort {
  const onMessage: Array<(m: unknown) => void> = [];
  const onDisconnect: Array<() => void> = [];
  const port: FakePort = {
    name,
    ...(sender ? { sender } : {}),
    sent: [],
    disconnected: false,
    postMessage(msg) {
      if (port.disconnected) throw new Error('Attempting to use a disconnected port object');
      port.sent.push(structuredClone(msg));
    },
    disconnect() {
      port.disconnected = true;
    },
    onMessage: { addListener: (fn) => void onMessage.push(fn) },
    onDisconnect: { addListener: (fn) => void onDisconnect.push(fn) },
    receive: (msg) => onMessage.forEach((fn) => fn(structuredClone(msg))),
    drop() {
      port.disconnected = true;
      onDisconnect.forEach((fn) => fn());
    },
  };
  return port;
}
