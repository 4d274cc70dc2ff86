// The output format of a command from --format and the global --json, decided the same way everywhere.
import type { Context } from '../io/context.js';
import { UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';

/**
 * --json means --format json. Both given and disagreeing is a mistake worth saying (a script that
 * passes --json expects one JSON document), not something to resolve silently.
 */
export function chooseFormat<F extends string>(ctx: Context, given: string | undefined, allowed: readonly F[], fallback: F): F {
  if (given !== undefined && !(allowed as readonly string[]).includes(given)) {
    const guess = closest(given, allowed, 1)[0];
    throw new UsageError(`unknown format "${given}"`, { code: 'E_FORMAT', option: '--format', expected: `one of: ${allowed.join(', ')}`, hint: guess ? `did you mean "${guess}"?` : undefined });
  }
  if (ctx.json) {
    if (given !== undefined && given !== 'json') {
      throw new UsageError(`--json and --format ${given} ask for different outputs`, { code: 'E_FORMAT', option: '--format', expected: 'one of them', hint: `drop --json for ${given}, or drop --format for JSON` });
    }
    return 'json' as F;
  }
  return (given as F | undefined) ?? fallback;
}
