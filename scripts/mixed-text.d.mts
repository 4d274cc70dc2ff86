export function seededRandom(seed: number): () => number;
export function mixedText(bytes: number, seed?: number): string;
