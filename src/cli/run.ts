/**
 * Runs one command to its exit code (the convention is in errors.ts): bad input is 2 with one
 * line saying what was wrong, other errors 1 with their message, and an interrupted command
 * (SIGINT, SIGTERM, SIGHUP) exits 130, 143 or 129 once what it registered for clean-up is undone, whatever error its interrupted children
 * then caused (a build killed by the same Ctrl-C reports "Building … failed": not the cause).
 */
import { installSignalCleanup, interrupted } from '../node/cleanup.ts';
import type { CliIO, Command } from './command.ts';
import { describeError } from './errors.ts';

/** How long a failed command waits for a signal that may be on its way (only on the error path). */
const SIGNAL_GRACE_MS = 200;

export async function runCommand(command: Command, args: string[], io: CliIO): Promise<number> {
  // `record` stops on Ctrl-C and saves what was recorded: the signal is its own.
  const uninstall = command.ownsSigint ? () => {} : installSignalCleanup({ log: io.log });
  let code: number;
  try {
    code = await command.run(args, io);
  } catch (e) {
    // A Ctrl-C reaches the whole process group: the child build can die, and its failure reach
    // us, in the same event-loop turn before our own signal handler has run. Give a pending
    // signal that moment before reporting the failure as the cause.
    const described = describeError(e, usageOptions(command.usage));
    if (described.code !== 2 && interrupted() === null) await new Promise((resolve) => setTimeout(resolve, SIGNAL_GRACE_MS));
    if (interrupted() === null) {
      io.log(`homeostat ${command.name}: ${described.message}`);
      if (described.usage) io.log(`Run 'homeostat ${command.name} --help' for its options.`);
    }
    code = described.code;
  }
  const signal = interrupted();
  uninstall();
  return signal ? await signal : code;
}

/** The long options a usage text names (`--runs`, `--no-warmup`), for "did you mean". */
export function usageOptions(usage: string): string[] {
  return [...new Set([...usage.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!))];
}
