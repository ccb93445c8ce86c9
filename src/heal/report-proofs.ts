/**
 * The heal report's section on generated tests: for each test, whether it was proven (failed on
 * the base build, passed on the fix) and the values both builds measured, or why it was not
 * delivered. Its own module, so the report's other sections evolve without it.
 */
import { proofLines, type TestProof } from './prove.ts';
import type { HealResult } from './result.ts';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const STATUS: Record<TestProof['status'], string> = {
  proven: 'Proven, delivered',
  guards: 'Guards the handling, delivered as a regression test',
  'fails-as-documented': 'Fails as asked, delivered as a documented failing test',
  'not-proven': 'Not proven, not delivered',
};

function proofs(r: HealResult): Array<{ id: string; branch: string | null; proof: TestProof }> {
  return r.attempts.flatMap((a) => (a.proofs ?? []).map((proof) => ({ id: a.diagnosis.id, branch: a.branch, proof })));
}

export function renderProofsMarkdown(r: HealResult): string {
  const list = proofs(r);
  const out = ['## Generated tests', ''];
  if (list.length === 0) return [...out, 'No test was generated (no fix was delivered and no recurring error was found).', ''].join('\n');
  out.push('Each test ran once on the base build and once on the fixed build before delivery; only tests that tell them apart ship.', '');
  for (const { id, branch, proof } of list) {
    out.push(`### \`${proof.path}\` (${id})`, '', `${STATUS[proof.status]}${branch && proof.status !== 'not-proven' ? ` on \`${branch}\`` : ''}: ${proof.why}.`, '');
    out.push(...proofLines(proof, r.head.slice(0, 12)).slice(1), '');
  }
  return out.join('\n');
}

export function renderProofsHtml(r: HealResult): string {
  const list = proofs(r);
  if (list.length === 0) return '<h2>Generated tests</h2><p>No test was generated.</p>';
  return (
    '<h2>Generated tests</h2><p>Each test ran once on the base build and once on the fixed build before delivery; only tests that tell them apart ship.</p>' +
    list
      .map(
        ({ id, branch, proof }) =>
          `<section class="attempt ${proof.status === 'not-proven' ? 'regressed' : 'improved'}"><h3><code>${esc(proof.path)}</code> <small>(${esc(id)})</small></h3>` +
          `<p class="verdict">${esc(STATUS[proof.status])}${branch && proof.status !== 'not-proven' ? ` on <code>${esc(branch)}</code>` : ''}</p><p>${esc(proof.why)}</p>` +
          `<ul>${proofLines(proof, r.head.slice(0, 12)).slice(1).map((l) => `<li>${esc(l.replace(/^- /, ''))}</li>`).join('')}</ul></section>`,
      )
      .join('\n')
  );
}
