// jsdom ships no type declarations (and @types/jsdom is not installed): this types the little
// report-charts.tsx uses, a document to render charts into.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string);
    readonly window: Window & typeof globalThis;
  }
}
