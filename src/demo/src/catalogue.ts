/** Pure catalogue logic: parsing a query, filtering, sorting, facets. */
import type { Product } from './data.ts';

export type SortKey = 'relevance' | 'price-asc' | 'price-desc' | 'rating';

export interface Filters {
  category: string;
  inStockOnly: boolean;
  maxPrice: number;
}

export type Matcher = (p: Product) => boolean;

/**
 * Turns the search box into a matcher. Text matches name, brand or tags; `/pattern/` is a
 * regular expression, and an invalid one throws (the demo's deliberate error path).
 */
export function parseQuery(query: string): Matcher {
  const q = query.trim();
  if (q === '') return () => true;
  if (q.startsWith('/')) {
    const body = q.endsWith('/') && q.length > 1 ? q.slice(1, -1) : q.slice(1);
    const re = new RegExp(body, 'i');
    return (p) => re.test(p.name) || re.test(p.brand);
  }
  const needle = q.toLowerCase();
  return (p) => p.name.toLowerCase().includes(needle) || p.brand.toLowerCase().includes(needle) || p.tags.includes(needle);
}

export function filterProducts(all: readonly Product[], match: Matcher, filters: Filters): Product[] {
  return all.filter(
    (p) =>
      match(p) &&
      (filters.category === 'all' || p.category === filters.category) &&
      (!filters.inStockOnly || p.stock > 0) &&
      p.price <= filters.maxPrice,
  );
}

export function sortProducts(list: readonly Product[], key: SortKey): Product[] {
  const out = list.slice();
  if (key === 'price-asc') out.sort((a, b) => a.price - b.price || a.id - b.id);
  else if (key === 'price-desc') out.sort((a, b) => b.price - a.price || a.id - b.id);
  else if (key === 'rating') out.sort((a, b) => b.rating - a.rating || a.id - b.id);
  return out;
}

export interface Facets {
  byCategory: Record<string, number>;
  byBrand: Record<string, number>;
  priceBuckets: number[];
  medianPrice: number;
}

/** Counts per facet over the whole catalogue. Expensive, and the demo recomputes it on every render. */
export function computeFacets(all: readonly Product[]): Facets {
  const byCategory: Record<string, number> = {};
  const byBrand: Record<string, number> = {};
  const priceBuckets = new Array<number>(10).fill(0);
  for (const p of all) {
    byCategory[p.category] = (byCategory[p.category] ?? 0) + 1;
    byBrand[p.brand] = (byBrand[p.brand] ?? 0) + 1;
    priceBuckets[Math.min(9, Math.floor(p.price / 100))]!++;
  }
  const prices = all.map((p) => p.price).sort((a, b) => a - b);
  return { byCategory, byBrand, priceBuckets, medianPrice: prices[Math.floor(prices.length / 2)] ?? 0 };
}

/** Splits `text` around case-insensitive matches of `needle`, for highlighting. */
export function highlightParts(text: string, needle: string): Array<{ text: string; hit: boolean }> {
  const n = needle.trim().toLowerCase();
  if (n === '' || n.startsWith('/')) return [{ text, hit: false }];
  const parts: Array<{ text: string; hit: boolean }> = [];
  const lower = text.toLowerCase();
  let i = 0;
  for (let j = lower.indexOf(n); j >= 0; j = lower.indexOf(n, i)) {
    if (j > i) parts.push({ text: text.slice(i, j), hit: false });
    parts.push({ text: text.slice(j, j + n.length), hit: true });
    i = j + n.length;
  }
  if (i < text.length) parts.push({ text: text.slice(i), hit: false });
  return parts;
}
