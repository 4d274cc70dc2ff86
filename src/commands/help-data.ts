// What the help of bench and recommend shows as defaults that are data: the resilience policy and the
// thresholds, from the catalog with the command line's --catalog overlays (built-in alone when they do not
// load; nothing when neither does — the help then names the file instead). Loaded only for such a help.
import { resiliencePolicy } from '../core/recommend/resilience-policy.js';
import { loadCatalog } from '../io/catalog/load.js';
import type { HelpData } from './table.js';

export async function loadHelpData(args: readonly string[], cwd: string): Promise<HelpData | undefined> {
  for (const overlays of [catalogOverlays(args), []]) {
    try {
      const catalog = await loadCatalog({ overlays, cwd });
      return { policy: resiliencePolicy(catalog.thresholds.values), thresholds: catalog.thresholds.values };
    } catch {
      // a broken overlay is reported when the command runs; the help shows what it can
    }
  }
  return undefined;
}

/** --catalog FILE and --catalog=FILE, as commander will read them. */
function catalogOverlays(args: readonly string[]): string[] {
  const files: string[] = [];
  args.forEach((a, i) => {
    if (a === '--catalog' && args[i + 1] !== undefined) files.push(args[i + 1]!);
    else if (a.startsWith('--catalog=')) files.push(a.slice('--catalog='.length));
  });
  return files;
}
