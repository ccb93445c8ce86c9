/**
 * What `homeostat record` injects into the page: listeners that turn clicks, typing, selects,
 * checkboxes and special keys into recording steps with robust selectors (role and name, label,
 * text, test id, then a CSS path), and the Node-side assembly of those steps into a recording.
 *
 * The page script is source text, not a function: transpilers add helpers (`__name`) to
 * functions that would not exist in the page.
 */
import { DEFAULT_THINK_MS, RECORDING_FORMAT, RECORDING_VERSION, type Recording, type Step, type Viewport } from './recording.ts';

/** The binding the page calls with each captured step (see `homeostat record`). */
export const CAPTURE_BINDING = '__homeostatCapture';
/** Where the page also keeps its captured steps (read by tests; reset by navigation). */
export const CAPTURE_GLOBAL = '__HOMEOSTAT_CAPTURED__';

/** A step as the page captured it, with the epoch ms it happened at (for think time). */
export type CapturedStep = Step & { at: number };

/** The capture script for `page.addInitScript({ content })`. */
export function captureScript(): string {
  return `(() => {
  if (window.${CAPTURE_GLOBAL}) return;
  const captured = (window.${CAPTURE_GLOBAL} = []);
  const send = (step) => {
    step.at = Date.now();
    captured.push(step);
    const b = window.${CAPTURE_BINDING};
    if (typeof b === 'function') Promise.resolve(b(step)).catch(() => {});
  };
  const text = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const CONTROLS = 'input, select, textarea, button';
  const ownText = (el) => {
    // Label text without the text of the controls inside it (a <select>'s options, say).
    let out = '';
    for (const n of el.childNodes) {
      if (n.nodeType === 3) out += n.textContent;
      else if (n.nodeType === 1 && !n.matches(CONTROLS)) out += ownText(n);
    }
    return out;
  };
  const roleOf = (el) => {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit.split(' ')[0];
    const tag = el.tagName.toLowerCase();
    if (tag === 'button') return 'button';
    if (tag === 'a' && el.hasAttribute('href')) return 'link';
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (tag === 'textarea') return 'textbox';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'input') {
      const t = (el.getAttribute('type') || 'text').toLowerCase();
      return ({ checkbox: 'checkbox', radio: 'radio', range: 'slider', button: 'button', submit: 'button', reset: 'button',
        search: 'searchbox', number: 'spinbutton', text: 'textbox', email: 'textbox', tel: 'textbox', url: 'textbox' })[t] || null;
    }
    return null;
  };
  const labelOf = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria && text(aria)) return text(aria);
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const t = text(by.split(/\\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' '));
      if (t) return t;
    }
    if (el.labels && el.labels.length > 0) {
      const t = text(ownText(el.labels[0]));
      if (t) return t;
    }
    return null;
  };
  const nameOf = (el) => {
    const l = labelOf(el);
    if (l) return l;
    const role = roleOf(el);
    if (role === 'button' || role === 'link' || role === 'heading' || role === 'tab' || role === 'menuitem' || role === 'option') {
      const t = text(el.innerText || el.textContent);
      if (t) return t;
    }
    return text(el.getAttribute('title')) || null;
  };
  const all = () => Array.from(document.querySelectorAll('body *'));
  const unique = (pred) => all().filter(pred).length === 1;
  const cssPath = (el) => {
    if (el.id && document.querySelectorAll('#' + CSS.escape(el.id)).length === 1) return '#' + CSS.escape(el.id);
    const parts = [];
    let n = el;
    while (n && n.nodeType === 1 && n !== document.body) {
      if (n.id && document.querySelectorAll('#' + CSS.escape(n.id)).length === 1) { parts.unshift('#' + CSS.escape(n.id)); break; }
      const tag = n.tagName.toLowerCase();
      const same = n.parentElement ? Array.from(n.parentElement.children).filter((c) => c.tagName === n.tagName) : [];
      parts.unshift(same.length > 1 ? tag + ':nth-of-type(' + (same.indexOf(n) + 1) + ')' : tag);
      n = n.parentElement;
    }
    if (parts.length === 0 || !parts[0].startsWith('#')) parts.unshift('body');
    return parts.join(' > ');
  };
  // Only selectors that match exactly this element: a target's nth would apply to all of them.
  const selectorsFor = (el) => {
    const out = [];
    const role = roleOf(el);
    const name = nameOf(el);
    if (role && name && unique((x) => roleOf(x) === role && nameOf(x) === name)) out.push({ role, name, exact: true });
    const label = labelOf(el);
    if (label && el.matches(CONTROLS) && unique((x) => x.matches(CONTROLS) && labelOf(x) === label)) out.push({ label, exact: true });
    if (!label && (role === 'button' || role === 'link')) {
      const t = text(el.innerText || el.textContent);
      if (t && t.length <= 80 && unique((x) => (roleOf(x) === 'button' || roleOf(x) === 'link') && text(x.innerText || x.textContent) === t)) out.push({ text: t, exact: true });
    }
    const testId = el.getAttribute('data-testid');
    if (testId && document.querySelectorAll('[data-testid="' + CSS.escape(testId) + '"]').length === 1) out.push({ testId });
    out.push({ css: cssPath(el) });
    return out;
  };
  const target = (el) => ({ selectors: selectorsFor(el) });
  const TEXTUAL = new Set(['text', 'search', 'email', 'tel', 'url', 'number']);
  const isTextual = (el) => el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && TEXTUAL.has((el.getAttribute('type') || 'text').toLowerCase()));
  const isToggle = (el) => el.tagName === 'INPUT' && /^(checkbox|radio)$/i.test(el.getAttribute('type') || '');
  addEventListener('click', (e) => {
    if (!e.isTrusted) return;
    let el = e.target instanceof Element ? e.target : null;
    if (!el) return;
    el = el.closest('button, a[href], input, select, textarea, label, [role], [data-testid]') || el;
    // Typing, selects and toggles are captured from their own events.
    if (el.matches('input, select, textarea') || (el.tagName === 'LABEL' && el.control)) return;
    send({ type: 'click', target: target(el) });
  }, true);
  addEventListener('input', (e) => {
    const el = e.target;
    if (!(el instanceof Element)) return;
    // Passwords are never written to a recording: QA fills them in by hand.
    if (el.tagName === 'INPUT' && /^password$/i.test(el.getAttribute('type') || '')) send({ type: 'type', target: target(el), text: '', replace: true, description: 'password: not recorded, fill in by hand' });
    else if (isTextual(el)) send({ type: 'type', target: target(el), text: el.value, replace: true, delayMs: 40 });
    else if (el.tagName === 'INPUT' && /^range$/i.test(el.getAttribute('type') || '')) send({ type: 'fill', target: target(el), value: el.value });
  }, true);
  addEventListener('change', (e) => {
    const el = e.target;
    if (!(el instanceof Element)) return;
    if (el.tagName === 'SELECT') send({ type: 'select', target: target(el), value: el.value });
    else if (isToggle(el)) send({ type: 'check', target: target(el), checked: el.checked });
  }, true);
  const KEYS = new Set(['Enter', 'Escape', 'Tab', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'Home', 'End']);
  addEventListener('keydown', (e) => {
    if (!e.isTrusted || !KEYS.has(e.key)) return;
    const el = e.target instanceof Element && e.target !== document.body ? e.target : null;
    // Arrows and Home/End inside a text field only move the caret.
    if (el && isTextual(el) && e.key !== 'Enter' && e.key !== 'Escape' && e.key !== 'Tab') return;
    send(el ? { type: 'key', key: e.key, target: target(el) } : { type: 'key', key: e.key });
  }, true);
})();`;
}

const MAX_THINK_MS = 3000;

/**
 * Assembles captured steps into a recording: a navigate to the start path first, consecutive
 * typing into one field merged into one `type` step, think time from the gaps (capped).
 */
export function capturedToRecording(
  captured: readonly CapturedStep[],
  options: { url: string; title?: string; viewport: Viewport },
): Recording {
  // `end`: when the last keystroke of merged typing happened; the next think time starts there.
  const merged: (CapturedStep & { end: number })[] = [];
  for (const s of captured) {
    const prev = merged[merged.length - 1];
    if (prev && prev.type === 'type' && s.type === 'type' && JSON.stringify(prev.target) === JSON.stringify(s.target)) {
      merged[merged.length - 1] = { ...s, at: prev.at, end: s.at };
    } else {
      merged.push({ ...s, end: s.at });
    }
  }
  const start = new URL(options.url);
  const steps: Step[] = [{ type: 'navigate', url: `${start.pathname}${start.search}${start.hash}` }];
  let last: number | null = null;
  for (const { at, end, ...step } of merged) {
    const think = last === null ? DEFAULT_THINK_MS : Math.min(MAX_THINK_MS, Math.max(0, Math.round(at - last)));
    last = end;
    steps.push({ ...(step as Step), thinkMs: think });
  }
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    title: options.title ?? `Recorded on ${start.host}${start.pathname}`,
    viewport: options.viewport,
    source: { kind: 'record', url: `${start.origin}${start.pathname}` },
    steps,
  };
}
