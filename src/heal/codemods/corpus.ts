/**
 * A corpus of component shapes as real apps write them, for the codemod corpus test: TypeScript
 * and JavaScript, generics, type literals, JSX namespaces, memo / forwardRef / class, React as a
 * namespace, typed `FC` constants, comments everywhere. Each case lists the codemods to run on
 * it (plans as heal builds them; `at` from the text the handler starts with) and the ones that
 * must refuse it, with why.
 */
import type { FixPlan } from '../../core/diagnose.ts';

export interface CorpusRun {
  label: string;
  plan: (source: string) => FixPlan;
}

export interface CorpusCase {
  name: string;
  file: string;
  source: string;
  /** Modules the case imports (relative paths), so it typechecks on its own. */
  support?: Record<string, string>;
  runs: CorpusRun[];
  /** Codemods that must refuse the case, with what their error says. */
  refusals?: Array<CorpusRun & { error: RegExp }>;
}

/** 1-based line and column where `text` starts (the analysis' and the plugin's convention). */
export function at(source: string, text: string): { line: number; column: number } {
  const index = source.indexOf(text);
  if (index < 0) throw new Error(`corpus: no "${text}" in the case`);
  const before = source.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

const PRODUCTS = `export interface Product {\n  id: string;\n  name: string;\n  price: number;\n}\nexport function search(items: readonly Product[], q: string): Product[] {\n  return items.filter((p) => p.name.includes(q));\n}\nexport function total(items: readonly Product[]): number {\n  return items.reduce((s, p) => s + p.price, 0);\n}\n`;

export const CORPUS: CorpusCase[] = [
  {
    name: 'generic list with a type-literal state and comments',
    file: 'src/Catalogue.tsx',
    support: { 'src/products.ts': PRODUCTS },
    source: `// Catalogue: a generic list, state typed by a literal.
import { useState, type ReactNode } from 'react';
import { search, total, type Product } from './products.ts';

/** Props of the list. */
interface ListProps<T extends { id: string }> {
  items: readonly T[];
  render: (item: T) => ReactNode; // how a row looks
}

/** A generic list. */
export function List<T extends { id: string }>({ items, render }: ListProps<T>) {
  return (
    <ul className="list">
      {/* every item */}
      {items.map((item) => (
        <li key={item.id}>{render(item)}</li>
      ))}
    </ul>
  );
}

export function Catalogue({ all }: { all: Product[] }) {
  const [query, setQuery] = useState('');
  // The results and the query they were found for travel together.
  const [results, setResults] = useState<{ items: Product[]; query: string }>({ items: all, query: '' });
  const sum = total(results.items);

  /* Typing searches. */
  const onInput = (e: { target: { value: string } }) => {
    const q = e.target.value;
    setQuery(q);
    setResults({ items: search(all, q), query: q }); // new results
  };

  return (
    <section className="catalogue">
      <input aria-label="Search" value={query} onChange={onInput} />
      <p>
        {results.items.length} for "{results.query}", {sum} in all
      </p>
      <List<Product> items={results.items} render={(p) => <b>{p.name}</b>} />
    </section>
  );
}
`,
    runs: [
      { label: 'transition', plan: (s) => ({ codemod: 'transition', file: 'src/Catalogue.tsx', handler: 'Catalogue.onInput', setters: ['setResults'], at: at(s, '(e: { target') }) },
      { label: 'pending-transition', plan: (s) => ({ codemod: 'pending-transition', file: 'src/Catalogue.tsx', handler: 'Catalogue.onInput', component: null, setters: [], at: at(s, '(e: { target') }) },
      { label: 'defer-value', plan: () => ({ codemod: 'defer-value', file: 'src/Catalogue.tsx', component: 'Catalogue', state: 'results' }) },
      { label: 'memo-value', plan: () => ({ codemod: 'memo-value', file: 'src/Catalogue.tsx', callee: 'total' }) },
      { label: 'memo-component (generic)', plan: () => ({ codemod: 'memo-component', file: 'src/Catalogue.tsx', component: 'List' }) },
      { label: 'memo-component', plan: () => ({ codemod: 'memo-component', file: 'src/Catalogue.tsx', component: 'Catalogue' }) },
    ],
    refusals: [
      { label: 'defer-value of a value only its input shows', plan: () => ({ codemod: 'defer-value', file: 'src/Catalogue.tsx', component: 'Catalogue', state: 'query' }), error: /query is not read while rendering Catalogue/ },
    ],
  },
  {
    name: 'memo(forwardRef()) with a typed FC sibling',
    file: 'src/Field.tsx',
    source: `import { forwardRef, memo, useState, type FC } from 'react';

export const Hint: FC<{ text: string }> = ({ text }) => <small>{text}</small>;

type FieldProps = { label: string; onCommit?: (v: string) => void };

/** An input that reports what was typed. */
export const Field = memo(
  forwardRef<HTMLInputElement, FieldProps>(function Field({ label, onCommit }, ref) {
    const [value, setValue] = useState('');
    const [count, setCount] = useState(0);
    return (
      <label className="field">
        {label}
        <input ref={ref} value={value} onChange={(e) => { setValue(e.target.value); setCount((c) => c + 1); onCommit?.(e.target.value); }} />
        <Hint text={\`\${count} edits\`} />
      </label>
    );
  }),
);
`,
    runs: [
      { label: 'transition', plan: (s) => ({ codemod: 'transition', file: 'src/Field.tsx', handler: 'Field.onChange', setters: [], at: at(s, '(e) => { setValue') }) },
      { label: 'pending-transition', plan: (s) => ({ codemod: 'pending-transition', file: 'src/Field.tsx', handler: 'Field.onChange', component: 'Field', setters: [], at: at(s, '(e) => { setValue') }) },
      { label: 'defer-value', plan: () => ({ codemod: 'defer-value', file: 'src/Field.tsx', component: 'Field', state: 'count' }) },
      { label: 'memo-component (typed FC)', plan: () => ({ codemod: 'memo-component', file: 'src/Field.tsx', component: 'Hint' }) },
    ],
    refusals: [{ label: 'memo-component twice', plan: () => ({ codemod: 'memo-component', file: 'src/Field.tsx', component: 'Field' }), error: /already memoised/ }],
  },
  {
    name: 'class component with an arrow field and a method',
    file: 'src/Clock.tsx',
    source: `import React, { Component } from 'react';

interface State {
  ticks: number;
  label: string;
}

/** A class component, as older apps have them. */
export default class Clock extends Component<{ start: number }, State> {
  state: State = { ticks: this.props.start, label: '' };

  // An arrow field used as a handler.
  tick = () => {
    this.setState((s) => ({ ticks: s.ticks + 1 }));
  };

  rename(label: string) {
    this.setState({ label });
  }

  render() {
    const total = double(this.state.ticks);
    return (
      <div>
        <button onClick={this.tick}>{total}</button>
        <button onClick={() => this.rename('x')}>{this.state.label}</button>
      </div>
    );
  }
}

function double(n: number): number {
  return n * 2;
}
`,
    runs: [
      { label: 'transition (arrow field)', plan: (s) => ({ codemod: 'transition', file: 'src/Clock.tsx', handler: 'Clock.tick', setters: [], at: at(s, '() => {\n    this.setState((s)') }) },
      { label: 'transition (method)', plan: (s) => ({ codemod: 'transition', file: 'src/Clock.tsx', handler: 'Clock.rename', setters: ['this.setState'], at: at(s, 'rename(label: string)') }) },
    ],
    refusals: [
      { label: 'pending-transition', plan: (s) => ({ codemod: 'pending-transition', file: 'src/Clock.tsx', handler: 'Clock.tick', component: 'Clock', setters: [], at: at(s, '() => {\n    this.setState((s)') }), error: /class component: useTransition \(a hook\) cannot be used in a class/ },
      { label: 'memo-component', plan: () => ({ codemod: 'memo-component', file: 'src/Clock.tsx', component: 'Clock' }), error: /extend PureComponent instead of Component/ },
      { label: 'memo-value', plan: () => ({ codemod: 'memo-value', file: 'src/Clock.tsx', callee: 'double' }), error: /class component: useMemo \(a hook\)/ },
    ],
  },
  {
    name: 'anonymous default export, React as a namespace',
    file: 'src/Counter.tsx',
    source: `import * as React from 'react';

export default function ({ step }: { step: number }) {
  const [n, setN] = React.useState(0);
  const label = format(n);
  return (
    <div className="counter">
      <button onClick={() => setN(n + step)}>{label}</button>
    </div>
  );
}

function format(n: number) {
  return \`\${n} clicks\`;
}
`,
    runs: [
      { label: 'transition', plan: (s) => ({ codemod: 'transition', file: 'src/Counter.tsx', handler: 'Counter.onClick', setters: [], at: at(s, '() => setN') }) },
      { label: 'pending-transition', plan: (s) => ({ codemod: 'pending-transition', file: 'src/Counter.tsx', handler: 'Counter.onClick', component: null, setters: [], at: at(s, '() => setN') }) },
      { label: 'memo-value', plan: () => ({ codemod: 'memo-value', file: 'src/Counter.tsx', callee: 'format' }) },
      { label: 'defer-value', plan: () => ({ codemod: 'defer-value', file: 'src/Counter.tsx', component: 'Counter', state: 'n' }) },
      { label: 'memo-component', plan: () => ({ codemod: 'memo-component', file: 'src/Counter.tsx', component: 'Counter' }) },
    ],
  },
  {
    name: 'a benchmark table: useReducer, dispatch through props, rows in memo()',
    file: 'src/Table.tsx',
    support: {
      'src/store.ts': `export interface Item {\n  id: number;\n  label: string;\n}\nexport type Action = { type: 'RUN'; count: number } | { type: 'SELECT'; id: number } | { type: 'CLEAR' };\nexport interface State {\n  data: Item[];\n  selected: number;\n}\nlet next = 1;\nexport function reducer(state: State, action: Action): State {\n  switch (action.type) {\n    case 'RUN':\n      return { data: Array.from({ length: action.count }, () => ({ id: next++, label: 'row' })), selected: 0 };\n    case 'SELECT':\n      return { ...state, selected: action.id };\n    case 'CLEAR':\n      return { data: [], selected: 0 };\n  }\n}\n`,
    },
    source: `import { memo, useReducer, type Dispatch } from 'react';
import { reducer, type Action, type Item } from './store.ts';

const Row = memo(({ item, selected, dispatch }: { item: Item; selected: boolean; dispatch: Dispatch<Action> }) => (
  <tr className={selected ? 'danger' : ''}>
    <td>{item.id}</td>
    <td>
      <a onClick={() => dispatch({ type: 'SELECT', id: item.id })}>{item.label}</a>
    </td>
  </tr>
));

function Button({ id, cb, title }: { id: string; cb: () => void; title: string }) {
  return (
    <button type="button" id={id} onClick={cb}>
      {title}
    </button>
  );
}

export function Main() {
  const [state, dispatch] = useReducer(reducer, { data: [] as Item[], selected: 0 });
  return (
    <div className="container">
      <Button id="runlots" title="Create 10,000 rows" cb={() => dispatch({ type: 'RUN', count: 10000 })} />
      <Button id="clear" title="Clear" cb={() => dispatch({ type: 'CLEAR' })} />
      <table>
        <tbody>
          {state.data.map((item) => (
            <Row key={item.id} item={item} selected={state.selected === item.id} dispatch={dispatch} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
`,
    runs: [
      { label: 'transition', plan: (s) => ({ codemod: 'transition', file: 'src/Table.tsx', handler: 'Main.runlots', setters: ['dispatch'], at: at(s, "() => dispatch({ type: 'RUN'") }) },
      { label: 'pending-transition', plan: (s) => ({ codemod: 'pending-transition', file: 'src/Table.tsx', handler: 'Main.runlots', component: 'Main', setters: ['dispatch'], at: at(s, "() => dispatch({ type: 'RUN'") }) },
      { label: 'pending-transition (in memo(() => …))', plan: (s) => ({ codemod: 'pending-transition', file: 'src/Table.tsx', handler: 'Row.onClick', component: null, setters: ['dispatch'], at: at(s, "() => dispatch({ type: 'SELECT'") }) },
      { label: 'progressive-list', plan: (s) => ({ codemod: 'progressive-list', file: 'src/Table.tsx', handler: 'Main.runlots', component: 'Main', list: at(s, 'state.data.map'), items: 'state.data' }) },
      { label: 'virtual-list', plan: (s) => ({ codemod: 'virtual-list', file: 'src/Table.tsx', handler: 'Main.runlots', component: 'Main', list: at(s, 'state.data.map'), items: 'state.data' }) },
      { label: 'virtual-list (over @tanstack/react-virtual)', plan: (s) => ({ codemod: 'virtual-list', file: 'src/Table.tsx', handler: 'Main.runlots', component: 'Main', list: at(s, 'state.data.map'), items: 'state.data', library: 'tanstack' }) },
      { label: 'memo-component', plan: () => ({ codemod: 'memo-component', file: 'src/Table.tsx', component: 'Button' }) },
    ],
  },
  {
    name: 'JavaScript with JSX namespaces, a custom hook and comments',
    file: 'src/Icons.jsx',
    source: `/* eslint-disable react/prop-types */
import { useCallback, useState } from 'react';

// A hook that keeps a selection.
function useSelection() {
  const [selected, setSelected] = useState(null);
  const select = useCallback((id) => setSelected(id), []);
  return { selected, select };
}

export const Icons = ({ icons }) => {
  const { selected, select } = useSelection();
  const [filter, setFilter] = useState('');
  const shown = icons.filter((i) => i.name.includes(filter));
  return (
    <div className="icons">
      <input value={filter} onChange={(e) => setFilter(e.target.value)} />
      <svg xmlns:xlink="http://www.w3.org/1999/xlink" width="0" height="0" />
      {shown.map((icon) => (
        <svg key={icon.id} className={icon.id === selected ? 'on' : ''} onClick={() => select(icon.id)}>
          <use xlink:href={\`#\${icon.id}\`} />
        </svg>
      ))}
    </div>
  );
};

export default function Picker({ icons, onPick }) {
  const [open, setOpen] = useState(false);
  return (
    <section>
      <button onClick={() => { setOpen(!open); onPick(null); }}>pick</button>
      {open && <Icons icons={icons} />}
    </section>
  );
}
`,
    runs: [
      { label: 'transition', plan: (s) => ({ codemod: 'transition', file: 'src/Icons.jsx', handler: 'Picker.onClick', setters: [], at: at(s, '() => { setOpen') }) },
      { label: 'pending-transition', plan: (s) => ({ codemod: 'pending-transition', file: 'src/Icons.jsx', handler: 'Picker.onClick', component: 'Picker', setters: [], at: at(s, '() => { setOpen') }) },
      { label: 'progressive-list', plan: (s) => ({ codemod: 'progressive-list', file: 'src/Icons.jsx', handler: 'Icons.filter', component: 'Icons', list: at(s, 'shown.map'), items: 'shown' }) },
      { label: 'virtual-list', plan: (s) => ({ codemod: 'virtual-list', file: 'src/Icons.jsx', handler: 'Icons.filter', component: 'Icons', list: at(s, 'shown.map'), items: 'shown' }) },
      { label: 'memo-component', plan: () => ({ codemod: 'memo-component', file: 'src/Icons.jsx', component: 'Icons' }) },
      { label: 'memo-component (default export)', plan: () => ({ codemod: 'memo-component', file: 'src/Icons.jsx', component: 'Picker' }) },
      { label: 'defer-value', plan: () => ({ codemod: 'defer-value', file: 'src/Icons.jsx', component: 'Icons', state: 'filter' }) },
    ],
    refusals: [
      { label: 'transition of an input’s own value', plan: (s) => ({ codemod: 'transition', file: 'src/Icons.jsx', handler: 'Icons.onChange', setters: [], at: at(s, '(e) => setFilter') }), error: /must stay urgent/ },
    ],
  },
];
