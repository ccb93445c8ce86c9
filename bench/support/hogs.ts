/**
 * Bounded CPU hogs for benchmarks that must hold on a busy machine: one child process per core
 * spinning on arithmetic, each ending itself after `maxSeconds` even if the benchmark is killed,
 * and ended by PID when the phase is over.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export function startHogs(n: number, maxSeconds = 1800): ChildProcess[] {
  const code = `const end = Date.now() + ${Math.round(maxSeconds * 1000)}; let x = 0; while (Date.now() < end) x = (x + Math.sqrt(x + 1)) % 1e9;`;
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', code], { stdio: 'ignore' }));
}

export function stopHogs(hogs: readonly ChildProcess[]): void {
  for (const h of hogs) if (h.pid !== undefined && h.exitCode === null) process.kill(h.pid, 'SIGKILL');
}
