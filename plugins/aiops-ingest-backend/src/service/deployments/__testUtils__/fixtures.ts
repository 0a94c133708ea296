import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '@backstage/errors';

const FIXTURES = resolve(__dirname, '../../../../fixtures/deployments');

/** A payload under fixtures/deployments, as received. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(resolve(FIXTURES, name));
}

export function fixtureJson(name: string): any {
  return JSON.parse(fixtureBytes(name).toString('utf8'));
}

/**
 * The message of the `InputError` that `parse` throws, for the test to check; anything else
 * thrown, or nothing, fails the test.
 */
export function inputErrorMessage(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (InputError.is(error)) return error.message;
    throw error;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}
