/**
 * Human regions while rendering one markdown file: each renderer asks for a region by key and
 * gets back what people wrote there last time. Regions whose subject disappeared are not
 * dropped: they are appended at the end, so no human text is ever lost by regeneration.
 */
import { humanRegion, type HumanRegion } from './markdown.ts';

export class Regions {
  private used = new Set<string>();

  constructor(private readonly previous: Map<string, HumanRegion>) {}

  /** The region for `key`, with its previous text (empty for a new subject). */
  region(key: string): string {
    this.used.add(key);
    return humanRegion(key, this.previous.get(key)?.text ?? '');
  }

  /** A trailing section with the regions nobody asked for this time, or '' when there are none. */
  orphans(): string {
    const left = [...this.previous.values()].filter((r) => !this.used.has(r.key)).sort((a, b) => a.key.localeCompare(b.key));
    if (left.length === 0) return '';
    return ['## Notes kept from earlier versions', '', 'Their subject no longer appears in the code or telemetry; delete them when they are no longer useful.', '', ...left.map((r) => `${humanRegion(r.key, r.text)}\n`)].join('\n');
  }
}
