import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

export const command: Command = {
  name: 'record',
  ownsSigint: true,
  summary: 'Record a user flow in Chromium into a replayable recording',
  usage: `homeostat record <url> -o <flow.json> [--title <text>] [--width <px>] [--height <px>]

Opens <url> in a headed Chromium and records clicks, typing, selects, checkboxes and special keys
(Enter, Escape, Tab, arrows) with robust selectors: role and name, label, text, test id, then CSS.
Close the window (or press Ctrl-C) to write the recording. Add expectations (expectText,
expectCount, expectUrl) by hand afterwards so replays check behaviour, not only timing.

Without a display, it explains the alternatives: write the steps by hand, or record in Chrome's
DevTools Recorder, export JSON and replay that file directly with homeostat replay.

  -o, --out <file>   where the recording goes (required)
  --title <text>     the recording's title
  --width, --height  viewport (default 1280 × 800)

Exit codes: 0 written; 1 no display here (the alternatives are printed) or the browser failed;
2 bad arguments.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        title: { type: 'string' },
        width: { type: 'string' },
        height: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one URL');
    const url = positionals[0]!;
    if (!/^https?:\/\//.test(url)) throw new UsageError(`expected an http(s) URL, got ${url}`);
    if (!values.out) throw new UsageError('-o <flow.json> is required');
    const size = (name: string, v: string | undefined, d: number) => {
      if (v === undefined) return d;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 100 || n > 10_000) throw new UsageError(`--${name} must be an integer between 100 and 10000`);
      return n;
    };
    const viewport = { width: size('width', values.width, 1280), height: size('height', values.height, 800), deviceScaleFactor: 1 };
    const { hasDisplay, NO_DISPLAY_HELP, record } = await import('../../replay/record.ts');
    if (!hasDisplay()) {
      io.log(NO_DISPLAY_HELP);
      // Nothing wrong with the input: this machine cannot open a window.
      return 1;
    }
    await record({ url, out: resolve(io.cwd, values.out), viewport, log: io.log, ...(values.title ? { title: values.title } : {}) });
    return 0;
  },
};
