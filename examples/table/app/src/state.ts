/** The table's state and its reducer: one action per toolbar button, and per-row select / remove. */
export interface Item {
  id: number;
  label: string;
}

export interface TableState {
  data: Item[];
  selected: number;
}

export type Action =
  | { type: 'RUN' }
  | { type: 'RUN_LOTS' }
  | { type: 'ADD' }
  | { type: 'UPDATE' }
  | { type: 'CLEAR' }
  | { type: 'SWAP_ROWS' }
  | { type: 'REMOVE'; id: number }
  | { type: 'SELECT'; id: number };

const ADJECTIVES = ['quiet', 'bright', 'narrow', 'heavy', 'gentle', 'rapid', 'hollow', 'silver', 'crooked', 'mellow', 'sturdy', 'vivid'];
const COLOURS = ['amber', 'teal', 'crimson', 'olive', 'indigo', 'ivory', 'coral', 'slate', 'saffron'];
const NOUNS = ['lantern', 'bench', 'kettle', 'harbour', 'meadow', 'violin', 'compass', 'orchard', 'ladder', 'pebble', 'window'];

const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

let nextId = 1;

export function buildItems(count: number): Item[] {
  const out = new Array<Item>(count);
  for (let i = 0; i < count; i++) out[i] = { id: nextId++, label: `${pick(ADJECTIVES)} ${pick(COLOURS)} ${pick(NOUNS)}` };
  return out;
}

export const initialState: TableState = { data: [], selected: 0 };

export function tableReducer(state: TableState, action: Action): TableState {
  switch (action.type) {
    case 'RUN':
      return { data: buildItems(1_000), selected: 0 };
    case 'RUN_LOTS':
      return { data: buildItems(10_000), selected: 0 };
    case 'ADD':
      return { data: [...state.data, ...buildItems(1_000)], selected: state.selected };
    case 'UPDATE': {
      const data = state.data.slice();
      for (let i = 0; i < data.length; i += 10) data[i] = { ...data[i]!, label: `${data[i]!.label} !!!` };
      return { data, selected: state.selected };
    }
    case 'CLEAR':
      return { data: [], selected: 0 };
    case 'SWAP_ROWS': {
      if (state.data.length < 999) return state;
      const data = state.data.slice();
      [data[1], data[998]] = [data[998]!, data[1]!];
      return { data, selected: state.selected };
    }
    case 'REMOVE':
      return { data: state.data.filter((d) => d.id !== action.id), selected: state.selected };
    case 'SELECT':
      return { data: state.data, selected: action.id };
  }
}
