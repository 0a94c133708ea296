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
});
