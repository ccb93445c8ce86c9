/** A `homeostat` subcommand: one file in src/cli/commands exporting `command`. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full usage text: arguments, options, exit codes. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[], io: CliIO): Promise<number>;
  /** The command handles SIGINT itself (record: Ctrl-C means "done"), so the CLI installs no signal clean-up for it. */
  ownsSigint?: boolean;
}

export interface CliIO {
  /** Results (tables, JSON): stdout. */
  out(text: string): void;
  /** Progress and diagnostics: stderr, so stdout stays machine-readable. */
  log(line: string): void;
  cwd: string;
}

/** Thrown for bad arguments: main prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
