// The JSON Schemas committed in schema/ are what the build generates from the zod schemas now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../src/build/json-schemas.js';
import { ROOT } from '../helpers/paths.js';

describe('generated JSON Schemas', () => {
  it.each(Object.keys(jsonSchemas()))('schema/%s is what src/build/json-schemas.ts generates now', (name) => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'schema', name), 'utf8'));
    expect(committed).toEqual(jsonSchemas()[name]);
  });
});
