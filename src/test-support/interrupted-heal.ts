/**
 * A stand-in for a heal run that gets interrupted (used by src/heal/cleanup.test.ts): it takes
 * a worktree (labelled with a hostile handler name), starts a long build, serves a directory
 * and launches Chromium, exactly as the loop does, then prints what it holds and waits for a
 * signal. Usage: tsx interrupted-heal.ts <repo> [--no-browser]
 */
import { launchChromium } from '../node/browser.ts';
import { runCommand } from '../heal/app.ts';
import { installSignalCleanup } from '../node/cleanup.ts';
import { addWorktree, headCommit } from '../heal/git.ts';
import { serveDirectory } from '../node/serve.ts';
import { registerCleanup } from '../node/cleanup.ts';

const [repo, flag] = process.argv.slice(2);
installSignalCleanup({ log: (l) => process.stderr.write(`${l}\n`) });
const tree = await addWorktree(repo!, await headCommit(repo!), '../../escape `id` $(id)');
// The "build": a shell that starts a long-running child, like a bundler's worker.
void runCommand('sleep 300 & echo $! > build-child.pid; wait', tree.dir);
const server = await serveDirectory(tree.dir);
registerCleanup(`server ${server.url}`, () => server.close());
const marker = `--homeostat-interrupt-test=${process.pid}`;
if (flag !== '--no-browser') await launchChromium({ args: [marker] });
process.stdout.write(`${JSON.stringify({ tree: tree.dir, url: server.url, marker })}\n`);
// Hold everything until a signal arrives.
setInterval(() => undefined, 60_000);
