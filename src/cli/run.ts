/**
 * Runs one command to its exit code: usage errors are 2 with the usage text, other errors 1
 * with their message, and an interrupted command (SIGINT, SIGTERM, SIGHUP) exits 130, 143 or
 * 129 once what it registered for clean-up is undone, whatever error its interrupted children
 * then caused (a build killed by the same Ctrl-C reports "Building … failed": not the cause).
 */
import { installSignalCleanup, interrupted } from '../node/cleanup.ts';
import type { CliIO, Command } from './command.ts';
import { UsageError } from './command.ts';
import { describeFsError } from './paths.ts';

/** How long a failed command waits for a signal that may be on its way (only on the error path). */
const SIGNAL_GRACE_MS = 200;

export async function runCommand(command: Command, args: string[], io: CliIO): Promise<number> {
  // `record` stops on Ctrl-C and saves what was recorded: the signal is its own.
  const uninstall = command.ownsSigint ? () => {} : installSignalCleanup({ log: io.log });
  let code: number;
  try {
    code = await command.run(args, io);
  } catch (e) {
    // parseArgs reports unknown or malformed options with this code.
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.log(`homeostat ${command.name}: ${(e as Error).message}\n`);
      io.out(command.usage);
      code = 2;
    } else {
      // A Ctrl-C reaches the whole process group: the child build can die, and its failure reach
      // us, in the same event-loop turn before our own signal handler has run. Give a pending
      // signal that moment before reporting the failure as the cause.
      if (interrupted() === null) await new Promise((resolve) => setTimeout(resolve, SIGNAL_GRACE_MS));
      if (interrupted() === null) io.log(`homeostat: ${describeFsError(e) ?? (e instanceof Error ? e.message : String(e))}`);
      code = 1;
    }
  }
  const signal = interrupted();
  uninstall();
  return signal ? await signal : code;
}
