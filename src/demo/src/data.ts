/** A deterministic catalogue: the same 5,000 products on every load, so runs are comparable. */
export interface Product {
  id: number;
  name: string;
  brand: string;
  category: string;
  price: number;
  rating: number;
  stock: number;
  tags: string[];
}

export const CATEGORIES = ['Audio', 'Cameras', 'Computers', 'Garden', 'Kitchen', 'Outdoor', 'Phones', 'Toys'] as const;
const BRANDS = ['Acme', 'Borealis', 'Cobalt', 'Dynamo', 'Ember', 'Fjord', 'Granite', 'Helix', 'Ion', 'Juniper'];
const NOUNS = ['Speaker', 'Lens', 'Laptop', 'Hose', 'Kettle', 'Tent', 'Handset', 'Robot', 'Blender', 'Drone', 'Lamp', 'Backpack'];
const ADJECTIVES = ['Compact', 'Deluxe', 'Eco', 'Pro', 'Smart', 'Ultra', 'Classic', 'Rugged', 'Silent', 'Turbo', 'Mini', 'Max'];
const TAGS = ['new', 'sale', 'bestseller', 'eco', 'refurbished', 'limited', 'bundle', 'gift'];

/** mulberry32: a tiny seeded PRNG, so the data never depends on Math.random. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeCatalogue(count = 5000, seed = 42): Product[] {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: count }, (_, id) => ({
    id,
    name: `${pick(ADJECTIVES)} ${pick(NOUNS)} ${100 + Math.floor(r() * 900)}`,
    brand: pick(BRANDS),
    category: pick(CATEGORIES),
    price: Math.round((5 + r() * 995) * 100) / 100,
    rating: Math.round((1 + r() * 4) * 10) / 10,
    stock: r() < 0.15 ? 0 : Math.floor(r() * 50),
    tags: TAGS.filter(() => r() < 0.2),
  }));
}
