/**
 * One replay step, performed inside the inspected page. `pageStep` is sent as source text
 * (`chrome.devtools.inspectedWindow.eval`), so it must stay self-contained: no imports, no
 * module-level helpers, nothing but its argument and the page's DOM. It never waits: an element
 * that is not there yet answers `wait`, and the runner (recorder-replay.ts) asks again until the
 * step's timeout.
 *
 * Events are dispatched from script, so the page sees them as untrusted (`isTrusted === false`):
 * React handles them as it does real input, Homeostat's wrappers time the handlers as usual, but
 * the browser's Event Timing does not report them, so a replay from the Recorder measures handler
 * and React work, not input latency (the `homeostat replay` command drives real input for that).
 */
import type { Selector, Step, Target } from '../../src/replay/recording.ts';

export type PageStepOutcome =
  | { status: 'done'; now: number; origin: number; note?: string }
  | { status: 'wait' | 'fail'; reason: string; now: number; origin: number };

/** A `type` step is sent one character at a time (`text` of length 1), like keystrokes. */
export function pageStep(step: Step): PageStepOutcome {
  const stamp = { now: performance.now(), origin: performance.timeOrigin };
  const wait = (reason: string): PageStepOutcome => ({ status: 'wait', reason, ...stamp });
  const fail = (reason: string): PageStepOutcome => ({ status: 'fail', reason, ...stamp });
  const done = (note?: string): PageStepOutcome => ({ status: 'done', ...stamp, ...(note ? { note } : {}) });

  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (have: string, want: string, exact: boolean | undefined) => (exact ? norm(have) === norm(want) : norm(have).toLowerCase().includes(norm(want).toLowerCase()));
  const visible = (el: Element) => (typeof (el as { checkVisibility?: () => boolean }).checkVisibility === 'function' ? (el as { checkVisibility: () => boolean }).checkVisibility() : el.isConnected);
  const labelledBy = (el: Element) =>
    (el.getAttribute('aria-labelledby') ?? '')
      .split(/\s+/)
      .map((id) => (id ? document.getElementById(id)?.textContent ?? '' : ''))
      .join(' ');
  const labelText = (el: Element) => {
    const labels = (el as HTMLInputElement).labels;
    // A label wrapping its control: the control's own text (a select's options) is not its name.
    const own = (l: Element) =>
      [...l.childNodes].filter((n) => !(n instanceof Element && (n.matches('select, input, textarea, button') || n.contains(el)))).map((n) => n.textContent ?? '').join(' ');
    return labels ? [...labels].map(own).join(' ') : '';
  };
  const accessibleName = (el: Element) =>
    norm(el.getAttribute('aria-label')) || norm(labelledBy(el)) || norm(labelText(el)) || norm(el.getAttribute('alt')) || norm((el as HTMLElement).innerText ?? el.textContent) || norm(el.getAttribute('title')) || norm((el as HTMLInputElement).placeholder);
  const IMPLICIT: Record<string, string> = {
    button: 'button, input[type=button], input[type=submit], input[type=reset]',
    link: 'a[href]',
    textbox: 'input:not([type]), input[type=text], input[type=email], input[type=tel], input[type=url], input[type=password], textarea',
    searchbox: 'input[type=search]',
    combobox: 'select, input[list]',
    checkbox: 'input[type=checkbox]',
    radio: 'input[type=radio]',
    heading: 'h1, h2, h3, h4, h5, h6',
    listitem: 'li',
    list: 'ul, ol',
    option: 'option',
    img: 'img[alt]',
  };
  const find = (sel: Selector): Element[] => {
    if ('css' in sel) {
      try {
        return [...document.querySelectorAll(sel.css)];
      } catch {
        return [];
      }
    }
    if ('testId' in sel) return [...document.querySelectorAll(`[data-testid=${JSON.stringify(sel.testId)}]`)];
    if ('role' in sel) {
      const all = [...document.querySelectorAll(`[role=${JSON.stringify(sel.role)}]${IMPLICIT[sel.role] ? `, ${IMPLICIT[sel.role]}` : ''}`)];
      return sel.name === undefined ? all : all.filter((el) => matches(accessibleName(el), sel.name!, sel.exact));
    }
    if ('label' in sel) {
      const controls = [...document.querySelectorAll('input, select, textarea, button, [role], [aria-label]')];
      return controls.filter((el) => matches(norm(el.getAttribute('aria-label')) || norm(labelledBy(el)) || norm(labelText(el)), sel.label, sel.exact));
    }
    // Text: the innermost elements whose text matches.
    const hits = [...document.body.querySelectorAll('*')].filter((el) => !(el instanceof HTMLScriptElement) && matches((el as HTMLElement).innerText ?? el.textContent ?? '', sel.text, sel.exact));
    return hits.filter((el) => !hits.some((other) => other !== el && el.contains(other)));
  };
  const describe = (t: Target) => t.selectors.map((s) => JSON.stringify(s)).join(' or ');
  const resolve = (t: Target): Element[] => {
    for (const s of t.selectors) {
      const found = find(s);
      if (found.length > 0) return found;
    }
    return [];
  };
  const element = (t: Target): Element | string => {
    const el = resolve(t)[t.nth ?? 0];
    if (!el) return `no element matches ${describe(t)}`;
    if (!visible(el)) return `${describe(t)} is not visible`;
    return el;
  };
  const mouse = (el: Element, type: string, button = 0, detail = 1) =>
    el.dispatchEvent(new (type.startsWith('pointer') && typeof PointerEvent === 'function' ? PointerEvent : MouseEvent)(type, { bubbles: true, cancelable: true, composed: true, button, detail }));
  // React tracks an input's value itself: set it through the prototype's setter so the change is seen.
  const setValue = (el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) => {
    const proto = Object.getPrototypeOf(el) as object;
    const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
    if (setter) setter.call(el, value);
    else el.value = value;
  };
  const fire = (el: Element, type: string) => el.dispatchEvent(new Event(type, { bubbles: true }));
  const key = (el: Element, combo: string) => {
    const parts = combo.split('+');
    const k = parts.pop() ?? '';
    const mods = { ctrlKey: parts.includes('Control'), shiftKey: parts.includes('Shift'), altKey: parts.includes('Alt'), metaKey: parts.includes('Meta') };
    const init = { key: k, code: k.length === 1 ? `Key${k.toUpperCase()}` : k, bubbles: true, cancelable: true, composed: true, ...mods };
    el.dispatchEvent(new KeyboardEvent('keydown', init));
    if (k.length === 1 || k === 'Enter') el.dispatchEvent(new KeyboardEvent('keypress', init));
    el.dispatchEvent(new KeyboardEvent('keyup', init));
  };

  switch (step.type) {
    case 'navigate':
      location.assign(new URL(step.url, `${location.origin}/`).href);
      return done('navigating');
    case 'setViewport':
      // The inspected window keeps its size: DevTools cannot resize it from an extension.
      return done('skipped: the inspected window keeps its size');
    case 'click':
    case 'hover': {
      const el = element(step.target);
      if (typeof el === 'string') return wait(el);
      el.scrollIntoView?.({ block: 'center', inline: 'center' });
      for (const t of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'pointermove', 'mousemove']) mouse(el, t);
      if (step.type === 'hover') return done();
      if ((el as HTMLButtonElement).disabled) return wait(`${describe(step.target)} is disabled`);
      const button = step.button === 'middle' ? 1 : step.button === 'right' ? 2 : 0;
      for (let i = 1; i <= (step.clickCount ?? 1); i++) {
        mouse(el, 'pointerdown', button, i);
        mouse(el, 'mousedown', button, i);
        if (el instanceof HTMLElement && i === 1) el.focus();
        mouse(el, 'pointerup', button, i);
        mouse(el, 'mouseup', button, i);
        if (button === 0) {
          // click() runs the element's activation (a checkbox toggles, a link follows).
          if (el instanceof HTMLElement) el.click();
          else mouse(el, 'click', 0, i);
        } else mouse(el, button === 2 ? 'contextmenu' : 'auxclick', button, i);
      }
      if ((step.clickCount ?? 1) === 2) mouse(el, 'dblclick', 0, 2);
      return done();
    }
    case 'fill':
    case 'type':
    case 'select': {
      const el = element(step.target);
      if (typeof el === 'string') return wait(el);
      if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) return fail(`${describe(step.target)} is not a form field`);
      if (el.disabled) return wait(`${describe(step.target)} is disabled`);
      el.focus();
      if (step.type === 'type') {
        if (step.replace && el.value !== '') setValue(el, '');
        el.dispatchEvent(new KeyboardEvent('keydown', { key: step.text, bubbles: true, cancelable: true }));
        setValue(el, el.value + step.text);
        el.dispatchEvent(new InputEvent('input', { bubbles: true, data: step.text, inputType: 'insertText' }));
        el.dispatchEvent(new KeyboardEvent('keyup', { key: step.text, bubbles: true, cancelable: true }));
        return done();
      }
      let value = step.type === 'fill' ? step.value : (step.value ?? '');
      if (step.type === 'select' && step.value === undefined && el instanceof HTMLSelectElement) {
        const option = [...el.options].find((o) => norm(o.label) === norm(step.label));
        if (!option) return fail(`no option labelled as asked in ${describe(step.target)}`);
        value = option.value;
      }
      // A <select> takes the option's value; the Recorder may have recorded its text instead.
      if (el instanceof HTMLSelectElement && ![...el.options].some((o) => o.value === value)) {
        const byLabel = [...el.options].find((o) => norm(o.label) === norm(value));
        if (!byLabel) return fail(`${describe(step.target)} has no such option`);
        value = byLabel.value;
      }
      setValue(el, value);
      fire(el, 'input');
      fire(el, 'change');
      return done();
    }
    case 'check': {
      const el = element(step.target);
      if (typeof el === 'string') return wait(el);
      const want = step.checked ?? true;
      if ((el as HTMLInputElement).checked !== want) (el as HTMLElement).click();
      return done();
    }
    case 'key': {
      let el: Element | null = document.activeElement ?? document.body;
      if (step.target) {
        const t = element(step.target);
        if (typeof t === 'string') return wait(t);
        if (t instanceof HTMLElement) t.focus();
        el = t;
      }
      key(el ?? document.body, step.key);
      return done();
    }
    case 'scroll': {
      if (step.target) {
        const el = element(step.target);
        if (typeof el === 'string') return wait(el);
        el.scrollTo(step.x ?? 0, step.y ?? 0);
      } else window.scrollTo(step.x ?? 0, step.y ?? 0);
      return done();
    }
    case 'waitFor': {
      const state = step.state ?? 'visible';
      if (!step.target) return matches(document.body.innerText ?? '', step.text ?? '', false) ? done() : wait('the text is not on the page yet');
      const found = resolve(step.target);
      const el = found[step.target.nth ?? 0];
      const ok = state === 'attached' ? !!el : state === 'detached' ? !el : state === 'visible' ? !!el && visible(el) : !el || !visible(el);
      return ok ? done() : wait(`${describe(step.target)} is not ${state} yet`);
    }
    case 'expectText': {
      const scope = step.target ? resolve(step.target)[step.target.nth ?? 0] : document.body;
      if (!scope) return wait(`no element matches ${describe(step.target!)}`);
      return matches((scope as HTMLElement).innerText ?? scope.textContent ?? '', step.text, step.exact) ? done() : wait('the expected text is not shown');
    }
    case 'expectCount': {
      const n = resolve(step.target).length;
      const ok = (step.count === undefined || n === step.count) && (step.min === undefined || n >= step.min) && (step.max === undefined || n <= step.max);
      return ok ? done() : wait(`${describe(step.target)} matches ${n} elements`);
    }
    case 'expectUrl': {
      const href = location.href;
      const ok = step.pattern !== undefined ? new RegExp(step.pattern).test(href) : href.includes(step.includes ?? '');
      return ok ? done() : wait('the URL does not match yet');
    }
  }
}
