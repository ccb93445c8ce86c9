import type { Product } from './data.ts';

export type Order =
  | { status: 'idle' }
  | { status: 'pending' }
  | { status: 'done'; orderId: string; etaDays: number }
  | { status: 'failed'; message: string };

interface Props {
  cart: ReadonlyMap<number, number>;
  products: readonly Product[];
  order: Order;
  onRemove: (id: number) => void;
  onCheckout: () => void;
}

/** Re-renders on every keystroke in the search box, although its props did not change. */
export function CartPanel({ cart, products, order, onRemove, onCheckout }: Props) {
  const lines = [...cart].map(([id, qty]) => ({ product: products[id]!, qty }));
  const total = lines.reduce((sum, l) => sum + l.product.price * l.qty, 0);
  return (
    <aside className="cart" aria-label="Cart">
      <h2>Cart</h2>
      {lines.length === 0 ? (
        <p>Your cart is empty.</p>
      ) : (
        <ul>
          {lines.map(({ product, qty }) => (
            <li key={product.id}>
              {qty} × {product.name}
              <button type="button" onClick={() => onRemove(product.id)} aria-label={`Remove ${product.name}`}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="total">Total: ${total.toFixed(2)}</p>
      <button type="button" disabled={lines.length === 0 || order.status === 'pending'} onClick={onCheckout}>
        Checkout
      </button>
      {order.status === 'pending' && <p>Placing order…</p>}
      {order.status === 'done' && (
        <p role="status">
          Order {order.orderId} confirmed, arriving in {order.etaDays} days.
        </p>
      )}
      {order.status === 'failed' && <p role="alert">{order.message}</p>}
    </aside>
  );
}
