// The one place colour is decided: a palette that is plain text when colour is off.
import { Chalk } from 'chalk';

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  magenta(s: string): string;
  /** The recommended pattern / positive figure. */
  good(s: string): string;
  warn(s: string): string;
  bad(s: string): string;
}

const plain = (s: string) => s;

export function palette(enabled: boolean): Palette {
  if (!enabled) {
    return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain, magenta: plain, good: plain, warn: plain, bad: plain };
  }
  const c = new Chalk({ level: 1 });
  return {
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    red: (s) => c.red(s),
    green: (s) => c.green(s),
    yellow: (s) => c.yellow(s),
    cyan: (s) => c.cyan(s),
    magenta: (s) => c.magenta(s),
    good: (s) => c.green(s),
    warn: (s) => c.yellow(s),
    bad: (s) => c.red(s),
  };
}

/** Text without its colour codes (SGR sequences): what a width calculation or a plain copy needs. */
export function stripColor(s: string): string {
  // eslint-disable-next-line no-control-regex -- ESC is the very character this removes
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
