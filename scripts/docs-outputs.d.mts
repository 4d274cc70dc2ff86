export interface OutputMarker {
  args: string[];
  from?: string;
  until?: string;
  shown: string;
  start: number;
  end: number;
}
export function outputMarkers(text: string): OutputMarker[];
export function selectOutput(stdout: string, marker: Pick<OutputMarker, 'from' | 'until'>): string;
export function markedPages(root: string): string[];
