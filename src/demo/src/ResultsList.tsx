// homeostat-ignore-file: the add buttons delegate to `addToCart`, which App names by hand.
import { memo } from 'react';
import { highlightParts } from './catalogue.ts';
import type { Product } from './data.ts';

function Stars({ rating }: { rating: number }) {
  const full = Math.round(rating);
  return <span className="stars" aria-label={`${rating} out of 5`}>{'★'.repeat(full) + '☆'.repeat(5 - full)}</span>;
}

function ProductRow({ product, query, onAdd }: { product: Product; query: string; onAdd: (id: number) => void }) {
  return (
    <li className="row" data-testid="product-row">
      <span className="name">
        {highlightParts(product.name, query).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
      </span>
      <span className="brand">{product.brand}</span>
      <span className="category">{product.category}</span>
      {/* A formatter per row, as real code often does: part of why this list is heavy. */}
      <span className="price">{product.price.toLocaleString('en-US', { style: 'currency', currency: 'USD' })}</span>
      <Stars rating={product.rating} />
      <span className={product.stock > 0 ? 'stock' : 'stock out'}>{product.stock > 0 ? `${product.stock} left` : 'Sold out'}</span>
      <span className="tags">{product.tags.join(' · ')}</span>
      <button type="button" disabled={product.stock === 0} onClick={() => onAdd(product.id)} aria-label={`Add ${product.name} to cart`}>
        Add
      </button>
    </li>
  );
}

/** Memoised: typing re-renders the page, and the list only when its results change. */
export const ResultsList = memo(function ResultsList({ items, query, onAdd }: { items: Product[]; query: string; onAdd: (id: number) => void }) {
  if (items.length === 0) return <p className="empty">No products match.</p>;
  return (
    <ul className="results" aria-label="Results">
      {items.map((p) => (
        <ProductRow key={p.id} product={p} query={query} onAdd={onAdd} />
      ))}
    </ul>
  );
});
