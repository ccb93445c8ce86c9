'use client';
// Next.js loads react-dom itself, so no module of the app imports it and the plugin cannot start
// Homeostat there: this client component of the root layout does. Importing homeostat/react
// first in the client bundle is what lets it observe React's commits.
import { startHomeostat } from 'homeostat/react';

startHomeostat({ app: 'next-example' });

export function Homeostat() {
  return null;
}
