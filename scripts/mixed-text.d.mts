export function seededRandom(seed: number): () => number;
export function mixedText(bytes: number, seed?: number): string;
export function pathologicalText(kind: 'one-char' | 'letters' | 'base64' | 'hex' | 'minified-js', bytes: number, seed?: number, char?: string): string;
