import { InputError } from '@backstage/errors';
import { readQuery } from './readQuery';

describe('readQuery', () => {
  it('refuses a NUL character in any parameter, naming it', () => {
    // PostgreSQL refuses NUL in text (the read-route fuzz found `/incidents/%00` answering 500).
    const q = readQuery({
      environment: 'prod\u0000',
      entityRef: 'unowned:cart\u0000',
    });
    expect(() => q.string('environment')).toThrow(
      new InputError('query parameter environment holds a NUL character (%00)'),
    );
    expect(() => q.entityRef()).toThrow(
      'query parameter entityRef holds a NUL character (%00)',
    );
    expect(readQuery({ environment: 'prod' }).string('environment')).toBe(
      'prod',
    );
  });

  it('names an unknown list item, cut to the echo limit', () => {
    const long = 'x'.repeat(200_000);
    let message = '';
    try {
      readQuery({ status: `open,${long}` }).list('status', [
        'open',
        'resolved',
      ]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^query parameter status must be a comma-separated list of open, resolved; got "x+…"$/,
    );
    expect(message.length).toBeLessThan(400);
  });

  it('refuses timestamps outside the years 0001 to 9999, which PostgreSQL may not hold', () => {
    const timestamp = (to: string) => readQuery({ to }).timestamp('to');
    expect(() => timestamp('-271821-04-20T00:00:00Z')).toThrow(
      'query parameter to must be a timestamp in the years 0001 to 9999',
    );
    expect(() => timestamp('+275760-09-13T00:00:00Z')).toThrow(InputError);
    expect(timestamp('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000Z');
    expect(timestamp('9999-12-31T23:59:59.999Z')).toBe(
      '9999-12-31T23:59:59.999Z',
    );
  });
});
