/**
 * How the build plugin names what it instruments. Pure string rules, shared by the transform
 * (names recorded at run time) and the docs analysis (names documented), so both agree.
 */

/** `onClick`, `onChange`, `onPointerDown`…: React's event-handler prop shape. */
export const EVENT_PROP = /^on[A-Z]/;

/** A component: PascalCase. */
export function isComponentName(name: string): boolean {
  return /^[A-Z]/.test(name);
}

/** A hook: `useX`. */
export function isHookName(name: string): boolean {
  return /^use[A-Z0-9]/.test(name);
}

/** `src/components/TodoList.jsx` → `TodoList` (an anonymous default-exported component's name). */
export function fileOwner(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? filename;
  const stem = base.replace(/\.[^.]+$/, '');
  return stem === 'index' ? (filename.split(/[\\/]/).slice(-2, -1)[0] ?? stem) : stem;
}

/** `Owner.member`, or `member` alone at module level. */
export function qualified(owner: string | null, member: string): string {
  return owner ? `${owner}.${member}` : member;
}

/** A short label for one of several same-named handlers: readable, and safe in names and anchors. */
export function hintText(raw: string): string {
  return raw
    .replace(/[^\p{L}\p{N} _-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 24)
    .trim();
}

/**
 * Names with a hint or a counter where several sites in one file would share a name. A function
 * with a name of its own keeps it (a named `onChange` is never `onChange#1` because an inline
 * `onChange={…}` elsewhere in the file shares the base): only the others get hints or counters.
 */
export function disambiguate(sites: ReadonlyArray<{ name: string; hint: string | null; own?: boolean }>): string[] {
  const groups = new Map<string, number[]>();
  sites.forEach((s, i) => groups.set(s.name, [...(groups.get(s.name) ?? []), i]));
  const out = sites.map((s) => s.name);
  for (const [name, all] of groups) {
    if (all.length < 2) continue;
    const owning = all.filter((i) => sites[i]!.own);
    const members = owning.length === 1 ? all.filter((i) => !sites[i]!.own) : all;
    const hints = members.map((i) => sites[i]!.hint);
    const distinct = hints.every((h) => h !== null && h !== '') && new Set(hints).size === hints.length;
    members.forEach((i, k) => {
      out[i] = distinct ? `${name}[${hints[k]}]` : `${name}#${k + 1}`;
    });
  }
  return out;
}

/** Methods named like setters that are not React state: DOM, Date, storage, timers. */
const NOT_STATE = new Set([
  'setTimeout', 'setInterval', 'setImmediate', 'setAttribute', 'setAttributeNS', 'setAttributeNode', 'setProperty',
  'setPointerCapture', 'setSelectionRange', 'setRangeText', 'setCustomValidity', 'setItem', 'setHours', 'setMinutes',
  'setSeconds', 'setMilliseconds', 'setDate', 'setMonth', 'setFullYear', 'setYear', 'setTime', 'setRequestHeader',
  'setData', 'setDragImage', 'setLineDash', 'setTransform', 'setValueAtTime', 'setHTMLUnsafe', 'setStart', 'setEnd',
  'setStartBefore', 'setStartAfter', 'setEndBefore', 'setEndAfter', 'setBaseAndExtent', 'setActionHandler',
  'setPositionState', 'setKeyframes', 'setLiveSeekableRange', 'setSinkId', 'setMediaKeys', 'setCodecPreferences',
  'setParameters', 'setConfiguration', 'setLocalDescription', 'setRemoteDescription', 'setFormValue', 'setValidity',
  'setMatrixValue', 'setPeriodicWave', 'setOrientation', 'setPosition', 'setTargetAtTime', 'setHeaderValue',
]);

/** True for a callee name that, bound in scope, reads as a React state update (`setX`, `dispatch`). */
export function isSetterName(name: string): boolean {
  if (NOT_STATE.has(name) || /^setUTC/.test(name)) return false;
  return /^set[A-Z0-9_]/.test(name) || /^dispatch([A-Z0-9_]\w*)?$/.test(name);
}

/** Hooks whose second returned element updates state. */
export const STATE_HOOKS = /^(React\.)?(useState|useReducer|useActionState|useOptimistic|useImmer|useImmerReducer)$/;

/** Calls whose function argument is the handler itself (`useCallback(fn, deps)`, `memo(Component)`). */
export const PASS_THROUGH_CALLS = /^(React\.)?(useCallback|useEffectEvent|memo|forwardRef|observer)$/;
