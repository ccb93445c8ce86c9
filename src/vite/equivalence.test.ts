/**
 * The plugin's promise, checked differentially: a corpus of function shapes (every JS function
 * feature a handler can use) runs as written and as the plugin rewrites it, with the same
 * (random) inputs; results, thrown values, identities, `this`, `arguments`, `new.target`,
 * `super`, own properties, `length`/`name`, microtask order and reachable recursion depth must
 * not change. Both run as strict code (as modules are); the transformed one against two
 * runtimes: a stub that checks every call it is told about ends exactly once, and the real
 * recorder (instrument.ts).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { enterBody, enterTop, exitBody, exitTop, getRecorder, handlerId, returnBody, returnTop, suspendBody, threwBody, threwTop } from '../page/instrument.ts';
import { transformModule } from './transform.ts';

const ROOT = '/app';

/** Helpers the probes use: not candidates (they update no state), so never instrumented. */
const PRELUDE = `const sink = () => {};
let setV = sink; // a setter of unknown origin: a module-level \`setV = () => …\` is a helper, not state
const attempt = (f) => { try { return { ok: f() }; } catch (e) { return { threw: e instanceof Error ? e.constructor.name + ': ' + e.message : e }; } };
const settled = (p) => p.then((ok) => ({ ok }), (e) => ({ rejected: e instanceof Error ? e.constructor.name + ': ' + e.message : e }));
const drain = () => new Promise((r) => setTimeout(r, 0));
`;

/** A shape: module code, and a probe (run in the module, given the random `arg`) whose result must not change. */
interface Shape {
  name: string;
  code: string;
  /** Body of `async (arg) => { … }`, returning plain data (functions by their names). */
  probe: string;
}

const SHAPES: Shape[] = [
  {
    name: 'a var that redeclares a parameter',
    code: `function f(opts) { var opts = opts || 'default'; setV(opts); return opts; }
function g(n) { var n; setV(n); return n; }`,
    probe: `return [f(arg), f('mine'), f(42), f(), g(arg) === arg, g(7)];`,
  },
  {
    name: '`this` and `arguments`',
    code: `function h() { setV(1); return [this, arguments.length, [...arguments]]; }
function outer() { const inner = () => { setV(2); return [this, arguments[0]]; }; return inner(); }
const top = () => { setV(3); return this; };`,
    probe: `const [self, n, args] = h.call(arg, arg, 2);
const [oThis, oArg] = outer.call(arg, arg);
return [self === arg, n, args[0] === arg, args[1], oThis === arg, oArg === arg, top() === undefined, h.apply(undefined, [])[1]];`,
  },
  {
    name: '`new.target` and construction',
    code: `function make(x) { setV(x); if (!new.target) return 'called'; this.x = x; this.nt = new.target === make; }
function obj(x) { setV(x); return { made: x }; }
class Sub extends make { constructor(x) { super(x); this.sub = true; } }`,
    probe: `const m = new make(arg); const s = new Sub(arg);
return [make(arg), m.x === arg, m.nt, m instanceof make, new obj(arg).made === arg, s.nt, s.sub, s instanceof make];`,
  },
  {
    name: '`super` in class and object methods, class fields, setState methods',
    code: `class Base { greet(x) { return 'base:' + typeof x; } }
class Derived extends Base {
  greet(x) { setV(x); return super.greet(x) + '/derived'; }
}
const proto = { hi() { return 'proto'; } };
const withSuper = { __proto__: proto, hi(x) { setV(x); return super.hi() + '!' + (this === withSuper); } };
class Form {
  value = 1;
  submit = (e) => { setV(e); return [this.value, e, this instanceof Form]; };
  static count = 0;
}
class Counter {
  constructor() { this.state = { n: 0 }; }
  setState(p) { Object.assign(this.state, p); }
  inc(by = 1) { this.setState({ n: this.state.n + by }); return [this.state.n, arguments.length, this instanceof Counter]; }
}`,
    probe: `const f = new Form(); const c = new Counter(); const { submit } = f;
return [new Derived().greet(arg), withSuper.hi(arg), f.submit(arg)[1] === arg, submit(1), c.inc(), c.inc(2), attempt(() => Counter.prototype.inc.call({ state: {}, setState: null }))];`,
  },
  {
    name: 'getters, setters and generators (left alone, still equal)',
    code: `const box = { _v: 0, get v() { setV(); return this._v; }, set v(x) { setV(x); this._v = x; } };
class Boxed { #v = 1; get v() { setV(); return this.#v; } set v(x) { setV(x); this.#v = x; } }
function* gen(x) { setV(x); const got = yield x; yield got; return 'done'; }
async function* agen(x) { setV(x); yield await x; yield 2; }
function touch(x) { setV(x); return x; }`,
    probe: `box.v = arg; const b = new Boxed(); b.v = 5;
const it = gen(arg); const first = it.next(); const second = it.next('sent');
const ag = []; for await (const v of agen(1)) ag.push(v);
return [touch(arg) === arg, box.v === arg, b.v, first.value === arg, second.value, it.next().value, ag];`,
  },
  {
    name: 'default parameters referring to others, and their own scope',
    code: `function defs(a, b = a, c = () => [a, b]) { setV(a); var a = 'body'; return [a, b === arg0.v, c()[0] === arg0.v, arguments.length]; }
let arg0 = { v: undefined };
function rest(first, ...more) { setV(first); return [first, more.length, rest.length]; }
function destr({ x = 1, y } = {}, [z] = [3]) { setV(x); return [x, y, z]; }`,
    probe: `arg0.v = arg; const d = defs(arg);
return [d[0], d[1], d[2], d[3], defs.length, rest(1, 2, 3), destr(), destr({ x: 2, y: 3 }, [4]), attempt(() => destr(null))];`,
  },
  {
    name: 'hoisting, TDZ and block functions',
    code: `function usesLater(x) { setV(x); return inner(x); function inner(y) { return [typeof y, typeof inner]; } }
function sameName() { setV(1); var f; return [typeof f, typeof g]; function f() { return 1; } var g = 1; }
function tdz() { setV(1); const r = attempt(() => x); let x = 1; return r; }
function blocky(flag) { setV(flag); if (flag) { function inBlock() { return 'in'; } return inBlock(); } return typeof inBlock; }`,
    probe: `return [usesLater(arg), sameName(), tdz(), blocky(true), blocky(false)];`,
  },
  {
    name: 'labels, try/finally and returns in loops',
    code: `function labels(n) {
  setV(n);
  const seen = [];
  outer: for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) { if (j === 1) continue outer; if (i === 2) break outer; seen.push([i, j]); }
  }
  done: { if (n) break done; seen.push('not broken'); }
  for (const k of [1, 2, 3]) if (k === 2) return [seen, k];
}
function fin(x) { setV(x); try { return 'try'; } finally { if (x === 'override') return 'finally'; } }
function finThrow(x) { setV(x); try { throw new Error('inner'); } catch (e) { return e.message; } finally { setV(0); } }`,
    probe: `return [labels(true), labels(false), fin(arg), fin('override'), finThrow(arg)];`,
  },
  {
    name: 'code that runs after a return and throws: an iterator closed by a return, a finally',
    code: `function* closing(x) { try { yield x; } finally { setV(0); throw new Error('closing'); } }
function firstOf(it) { setV(1); for (const v of it) return v; return 'empty'; }
function outerOf(x) { setV(x); const r = attempt(() => firstOf(closing(x))); return [r, firstOf([x])]; }
function finThrows(x) { setV(x); try { return x; } finally { if (x !== 1) throw new RangeError('late'); } }
function outerFin(x) { setV(x); return [attempt(() => finThrows(x)), attempt(() => finThrows(1))]; }`,
    probe: `const [r, plain] = outerOf(arg); const [a, b] = outerFin(arg);
return [r, plain === arg, a.threw ?? (a.ok === arg), b];`,
  },
  {
    name: 'thrown values, own properties, length and name',
    code: `function boom(x) { setV(x); throw x; }
const arrowBoom = (x) => { setV(x); if (x !== 1) throw new TypeError('t:' + typeof x); return x; };
function own(x) { setV(x); return own.id; }
own.id = 7; own.cancel = () => 'cancelled';
const named = (a, b) => setV(a) ?? b;
const obj = { save(a, b, c) { setV(a); return this; } };
function closures() { setV(1); let n = 0; return () => ++n; }`,
    probe: `const thrown = attempt(() => boom(arg));
const c = closures(); c();
return [thrown.threw === arg, attempt(() => arrowBoom(arg)), attempt(() => arrowBoom(1)), own(arg), Object.keys(own), own.cancel(),
  [boom.name, boom.length, named.name, named.length, obj.save.name, obj.save.length, own.name, own.length], obj.save() === obj, c(),
  Object.getOwnPropertyNames(named).sort(), 'prototype' in named, Object.getOwnPropertyNames(boom).sort()];`,
  },
  {
    name: 'async functions: results, rejections, identities',
    code: `async function later(v) { setV(v); await null; if (v === 'fail') throw new Error('no'); return v; }
async function withDefault(v = missing()) { setV(v); return v; }
async function early(x) { setV(x); throw x; }
const pr = Promise.resolve('same');
function syncPromise() { setV(1); return pr; }
async function returnsPromise(x) { setV(x); return Promise.resolve(x); }
async function thenable(x) { setV(x); return { then(r) { r(x); } }; }`,
    probe: `return [await settled(later(arg)), await settled(later('fail')), await settled(withDefault()), await settled(withDefault(arg)),
  (await settled(early(arg))).rejected === arg, syncPromise() === pr, await settled(returnsPromise(arg)), await settled(thenable(arg)),
  withDefault(1) instanceof Promise, later.length, withDefault.length];`,
  },
  {
    name: 'microtask order: async functions with and without defaults settle on the same tick',
    code: `async function a1(x) { setV(x); return x; }
async function a2(x = 1) { setV(x); return x; }
async function a3(x) { setV(x); await null; return x; }
async function a4({ y } = {}) { setV(y); await null; return y; }
const a5 = async (x = 1) => { setV(x); throw x; };
async function a6(x) { setV(x); return await Promise.resolve(x); }
function s1(x) { setV(x); return Promise.resolve(x); }
async function a7(x = 1) { setV(x); return a1(x); }`,
    probe: `const log = [];
const note = (n) => () => { log.push(n); };
a1(1).then(note('a1')); a2().then(note('a2')); a3(3).then(note('a3')); a4().then(note('a4'));
a5().catch(note('a5')); a6(6).then(note('a6')); s1(7).then(note('s1')); a7().then(note('a7'));
let p = Promise.resolve(); for (let i = 0; i < 8; i++) p = p.then(note('t' + i));
await drain();
return log;`,
  },
];

type Runtime = Record<string, (...a: never[]) => unknown>;

/**
 * The stub: checks each call it is told about is closed (by its first `ret`, `threw` or `exit`:
 * the later ones of a `finally` are no-ops) and that no helper gets a token that was never entered.
 */
function stubRuntime() {
  let next = 0;
  const open = new Set<number>();
  /** The calls entered without a token, innermost last (each must be closed by exactly one helper). */
  const stack: number[] = [];
  let problems: string[] = [];
  const close = (token: number, what: string) => {
    if (token < 1 || token > next) problems.push(`${what} of unknown token ${token}`);
    open.delete(token);
  };
  const pop = (what: string) => {
    const token = stack.pop();
    if (token === undefined) problems.push(`${what} with no call entered`);
    else close(token, what);
  };
  const runtime: Runtime = {
    names: ((_f: string, flat: unknown[]) => flat.filter((_, i) => i % 3 === 0)) as never,
    enter: (() => {
      open.add(++next);
      return next;
    }) as never,
    ret: ((token: number, v: unknown) => (close(token, 'ret'), v)) as never,
    exit: ((token: number) => void close(token, 'exit')) as never,
    threw: ((token: number) => void close(token, 'threw')) as never,
    suspend: ((token: number, v: unknown) => {
      if (!open.has(token)) problems.push(`suspend of closed token ${token}`);
      return v;
    }) as never,
    enterTop: (() => {
      open.add(++next);
      stack.push(next);
    }) as never,
    retTop: ((v: unknown) => (pop('retTop'), v)) as never,
    exitTop: (() => pop('exitTop')) as never,
    threwTop: (() => pop('threwTop')) as never,
    wrap: ((v: unknown) => v) as never,
    mark: (() => undefined) as never,
  };
  return {
    runtime,
    /** Calls entered and never closed, and helpers given tokens never entered. */
    problems: () => {
      const p = [...problems, ...[...open].map((k) => `token ${k} never closed`)];
      problems = [];
      open.clear();
      stack.length = 0;
      return p;
    },
  };
}

/** The real recorder behind `homeostat/auto`'s helpers (whose `names` is inert outside a browser). */
const realRuntime: Runtime = {
  names: ((_f: string, flat: unknown[]) => flat.filter((_, i) => i % 3 === 0).map((n) => handlerId(String(n)))) as never,
  enter: ((table: number[], i: number, async?: 1) => enterBody(table[i]!, async === 1)) as never,
  ret: returnBody as never,
  exit: exitBody as never,
  threw: threwBody as never,
  suspend: suspendBody as never,
  enterTop: enterTop as never,
  retTop: returnTop as never,
  exitTop: exitTop as never,
  threwTop: threwTop as never,
  wrap: ((v: unknown) => v) as never,
  mark: (() => undefined) as never,
};

type Probe = (arg: unknown) => Promise<unknown>;

function load(code: string, runtime: Runtime | null, probe: string): Probe {
  const tail = `\nreturn async (arg) => {\n${probe}\n};`;
  return new Function('__rt', `'use strict';\n${code}${tail}`)(runtime) as Probe;
}

async function transformed(code: string): Promise<string> {
  const r = await transformModule(code, `${ROOT}/src/shape.js`, { root: ROOT, runtime: 'RT', setup: false });
  if (!r) throw new Error('the plugin instrumented nothing in this shape');
  const m = /^import \{([^}]*)\} from "RT";\n/m.exec(r.code);
  if (!m) throw new Error(`no runtime import in:\n${r.code}`);
  return r.code.replace(m[0], `const {${m[1]!.replace(/ as /g, ': ')}} = __rt;\n`);
}

beforeAll(() => {
  getRecorder().on = true;
});

describe('the transform is equivalent to the original', () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      const source = PRELUDE + shape.code;
      const code = await transformed(source);
      const stub = stubRuntime();
      const original = load(source, null, shape.probe);
      const viaStub = load(code, stub.runtime, shape.probe);
      const viaReal = load(code, realRuntime, shape.probe);
      await fc.assert(
        fc.asyncProperty(fc.anything(), async (arg) => {
          const want = await original(arg);
          expect(await viaStub(arg)).toStrictEqual(want);
          expect(await viaReal(arg)).toStrictEqual(want);
        }),
        { numRuns: 25 },
      );
      await new Promise((r) => setTimeout(r, 0));
      expect(stub.problems()).toEqual([]);
    });
  }

  it('keeps a token exactly where code can run after a return (finally, for…of, using) and in async bodies', async () => {
    const code = await transformed(`${PRELUDE}function plain(x) { setV(x); if (x) return f(x); return 1; }
function fin(x) { setV(x); try { return x; } finally { setV(0); } }
function loop(xs) { setV(xs); for (const x of xs) return x; }
async function later(x) { setV(x); return x; }
function nested(x) { setV(x); const g = () => { try { return 1; } finally { setV(2); } }; return g; }
function f(x) { setV(x); return x; }`);
    const body = (name: string) => code.slice(code.indexOf(`function ${name}(`), code.indexOf('\n}\n', code.indexOf(`function ${name}(`)));
    for (const name of ['plain', 'nested', 'f']) expect(body(name)).toContain('_hs_enterTop(');
    for (const name of ['fin', 'loop', 'later']) expect(body(name)).toMatch(/const _hs_t\d* = _hs_enter\(/);
    // A return's value goes through the module slot unless it is a plain name or literal.
    expect(body('plain')).toMatch(/return _hs_v = f\(x\), _hs_retTop\(_hs_v\)/);
    expect(body('plain')).toContain('return _hs_retTop(1)');
  });

  it('keeps the reachable recursion depth within 10%, cold and warm, and a walk of 4,000 frames', async () => {
    // No extra frame per call (the earlier inner-arrow shape reached a fifth of the depth), no
    // token held in the frame of a synchronous body, and a `return`'s value passed to the helper
    // through a module slot, not held in operands while the returned call runs (the shape before
    // these reached 0.72 of `deep`'s depth cold). What is left is the register that saves the
    // context for the added `try`: on `deep`, a function with nothing else in its frame, that
    // one register is 12% of the depth; on a function with a few locals (`visit`) it is less than
    // 10%. Cold: the first call of freshly compiled code (interpreter frames, deterministic). Warm:
    // the best of later calls (when V8 optimizes, and what it inlines, is not ours to decide).
    const source = `${PRELUDE}function deep(n) { setV(n); try { return deep(n + 1); } catch (e) { return n; } }
function walk(n) { setV(n); return n === 0 ? 0 : 1 + walk(n - 1); }
let max = 0;
function visit(node, d) { setV(node); if (d > max) max = d; const kids = [node + 1]; let total = node; for (let i = 0; i < kids.length; i++) total += visit(kids[i], d + 1); return total; }
const visited = () => { max = 0; attempt(() => visit(0, 0)); return max; };`;
    const probe = `return [deep(0), visited(), walk(4000)];`;
    const code = await transformed(source);
    const depths = async (run: Probe) => {
      const first = (await run(0)) as [number, number, number];
      const warm = [0, 0];
      for (let i = 0; i < 20; i++) {
        const got = (await run(0)) as [number, number, number];
        warm[0] = Math.max(warm[0]!, got[0]);
        warm[1] = Math.max(warm[1]!, got[1]);
      }
      return { deep: { cold: first[0], warm: warm[0]! }, visit: { cold: first[1], warm: warm[1]! }, walked: first[2] };
    };
    const base = await depths(load(source, null, probe));
    // The stub checks every helper call is balanced through a stack overflow and back.
    const stub = stubRuntime();
    expect((await depths(load(code, stub.runtime, probe))).walked).toBe(4000);
    const got = await depths(load(code, realRuntime, probe));
    expect(got.walked).toBe(4000);
    const ratio = (shape: 'deep' | 'visit', when: 'cold' | 'warm') => Math.round((got[shape][when] / base[shape][when]) * 100) / 100;
    const ratios = { deep: { cold: ratio('deep', 'cold'), warm: ratio('deep', 'warm') }, visit: { cold: ratio('visit', 'cold'), warm: ratio('visit', 'warm') } };
    expect({ deepCold: ratios.deep.cold >= 0.86, visitCold: ratios.visit.cold >= 0.9, visitWarm: ratios.visit.warm >= 0.9, ratios, got, base }).toMatchObject({
      deepCold: true,
      visitCold: true,
      visitWarm: true,
    });
  });
});
