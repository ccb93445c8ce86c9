/** The `homeostat` subcommands: one file each in src/cli/commands, found by name. */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from './command.ts';

const here = dirname(fileURLToPath(import.meta.url));
// Sources run through tsx (.ts); the published build is compiled (.js).
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

export function commandNames(): string[] {
  return readdirSync(join(here, 'commands'))
    .filter((f) => f.endsWith(ext) && !f.includes('.test.') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -ext.length))
    .sort();
}

export async function loadCommand(name: string): Promise<Command | null> {
  if (!/^[a-z][a-z-]*$/.test(name) || !commandNames().includes(name)) return null;
  const mod = (await import(`./commands/${name}${ext}`)) as { command: Command };
  return mod.command;
}

export async function allCommands(): Promise<Command[]> {
  return (await Promise.all(commandNames().map(loadCommand))).filter((c): c is Command => c !== null);
}
