/**
 * The bundled demo: a product catalogue instrumented the way a team would. It carries three
 * planted problems the Homeostat loop is meant to find and heal:
 * - `renderReact` pushes search results as a blocking update (no transition), and the list it
 *   re-renders is heavy;
 * - `computeFacets` recomputes an expensive value on every render (no useMemo);
 * - `parseQuery` throws on an invalid `/regex/` query.
 */
import { startTransition, useMemo, useState, useTransition, type ChangeEvent } from 'react';
import { instrument, useHandler } from 'homeostat/react';
import { computeFacets, filterProducts, parseQuery, sortProducts, type Filters, type Matcher, type SortKey } from './catalogue.ts';
import { CATEGORIES, makeCatalogue, type Product } from './data.ts';
import { CartPanel, type Order } from './CartPanel.tsx';
import { ResultsList } from './ResultsList.tsx';

const ALL = makeCatalogue();
/** Rows rendered at most; the rest are counted. */
const MAX_ROWS = 600;

const facetsOf = instrument('computeFacets', computeFacets);
const parse = instrument('parseQuery', parseQuery);

export function App() {
  const [query, setQuery] = useState('');
  const [queryError, setQueryError] = useState<string | null>(null);
  // The results and the query they were found for travel together: the list highlights what it shows.
  const [results, setResults] = useState<{ items: Product[]; query: string }>({ items: ALL, query: '' });
  const [filters, setFilters] = useState<Filters>({ category: 'all', inStockOnly: false, maxPrice: 1000 });
  const [sort, setSort] = useState<SortKey>('relevance');
  const [sorting, startSortTransition] = useTransition();
  const [cart, setCart] = useState<ReadonlyMap<number, number>>(new Map());
  const [order, setOrder] = useState<Order>({ status: 'idle' });

  // Recomputed on every render of the page, although ALL never changes.
  const facets = facetsOf(ALL);

  /** Pushes a new result list into the view. */
  const renderReact = useHandler('renderReact', (items: Product[], forQuery: string) => {
    setResults({ items, query: forQuery });
  });

  /**
   * The search box: keeps the input responsive and asks for new results.
   * @param e the search box's change event; its value is the query (text, or a /regex/)
   */
  const handleSearchInput = useHandler('handleSearchInput', (e: ChangeEvent<HTMLInputElement>) => {
    const value = e.target.value;
    setQuery(value);
    let match: Matcher;
    try {
      match = parse(value);
    } catch {
      setQueryError('That pattern is not a valid regular expression');
      return;
    }
    setQueryError(null);
    renderReact(filterProducts(ALL, match, { category: 'all', inStockOnly: false, maxPrice: Infinity }), value);
  });

  /**
   * Category, stock and price filters: applied as a transition.
   * @param patch the filters that changed (the others keep their value)
   */
  const applyFilters = useHandler('applyFilters', (patch: Partial<Filters>) => {
    startTransition(() => setFilters((f) => ({ ...f, ...patch })));
  });

  /** Sort order: applied as a transition through useTransition. */
  // Not named by hand: @homeostat/tools/vite records it as App.handleSort.
  const handleSort = (e: ChangeEvent<HTMLSelectElement>) => {
    const key = e.target.value as SortKey;
    startSortTransition(() => setSort(key));
  };

  const addToCart = useHandler('addToCart', (id: number) => {
    setCart((c) => new Map(c).set(id, (c.get(id) ?? 0) + 1));
  });

  function removeFromCart(id: number) { // not named by hand: @homeostat/tools/vite records it as App.removeFromCart
    setCart((c) => {
      const next = new Map(c);
      next.delete(id);
      return next;
    });
  }

  // Not named by hand either: App.confirmOrder (it updates state; checkout calls it).
  function confirmOrder(receipt: { orderId: string; etaDays: number }) {
    setOrder({ status: 'done', orderId: receipt.orderId, etaDays: receipt.etaDays });
    setCart(new Map());
  }

  /** Sends the cart to the (static) checkout endpoint. */
  const checkout = useHandler('checkout', async () => {
    setOrder({ status: 'pending' });
    try {
      const res = await fetch(`${import.meta.env.BASE_URL}api/checkout.json`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`Checkout failed with status ${res.status}`);
      confirmOrder(await res.json());
    } catch (e) {
      setOrder({ status: 'failed', message: (e as Error).message });
    }
  });

  const visible = useMemo(
    () =>
      sortProducts(
        results.items.filter(
          (p) =>
            (filters.category === 'all' || p.category === filters.category) &&
            (!filters.inStockOnly || p.stock > 0) &&
            p.price <= filters.maxPrice,
        ),
        sort,
      ),
    [results, filters, sort],
  );
  const shown = useMemo(() => visible.slice(0, MAX_ROWS), [visible]);

  return (
    <div className="app">
      <header>
        <h1>Catalogue</h1>
        <input
          aria-label="Search products"
          placeholder="Search (try: lamp, or /^pro/)"
          value={query}
          onChange={handleSearchInput}
        />
        <span className="count" aria-live="polite">
          {visible.length} of {ALL.length} products
        </span>
        <span className="cart-badge">Cart: {[...cart.values()].reduce((a, b) => a + b, 0)}</span>
      </header>
      {queryError && (
        <p role="alert" className="error">
          {queryError}
        </p>
      )}
      <div className="layout">
        <aside aria-label="Filters">
          <label>
            Category
            {/* Uncontrolled: a controlled input updated inside a transition would snap back until it commits. */}
            <select aria-label="Category" defaultValue="all" onChange={(e) => applyFilters({ category: e.target.value })}>
              <option value="all">All ({ALL.length})</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {c} ({facets.byCategory[c] ?? 0})
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              aria-label="In stock only"
              defaultChecked={false}
              onChange={(e) => applyFilters({ inStockOnly: e.target.checked })}
            />
            In stock only
          </label>
          <label>
            Max price: {filters.maxPrice}
            <input
              type="range"
              aria-label="Max price"
              min={10}
              max={1000}
              step={10}
              defaultValue={1000}
              onChange={(e) => applyFilters({ maxPrice: Number(e.target.value) })}
            />
          </label>
          <label>
            Sort
            <select aria-label="Sort" defaultValue="relevance" onChange={handleSort}>
              <option value="relevance">Relevance</option>
              <option value="price-asc">Price, low to high</option>
              <option value="price-desc">Price, high to low</option>
              <option value="rating">Rating</option>
            </select>
          </label>
          <p className="median">Median price ${facets.medianPrice.toFixed(2)}</p>
        </aside>
        <main className={sorting ? 'stale' : undefined}>
          <ResultsList items={shown} query={results.query} onAdd={addToCart} />
          {visible.length > MAX_ROWS && <p className="more">…and {visible.length - MAX_ROWS} more</p>}
        </main>
        <CartPanel cart={cart} products={ALL} order={order} onRemove={removeFromCart} onCheckout={checkout} />
      </div>
    </div>
  );
}
