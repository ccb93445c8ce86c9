import { Homeostat } from './homeostat.jsx';

export const metadata = { title: 'Homeostat + Next.js' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>
        <Homeostat />
        {children}
      </body>
    </html>
  );
}
