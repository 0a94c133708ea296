import { InputError } from '@backstage/errors';
import { readResolutionInput } from './resolutionInput';

describe('readResolutionInput', () => {
  it('has no resolution without one, so an empty body resolves as before', () => {
    expect(readResolutionInput(undefined)).toBeUndefined();
    expect(readResolutionInput({})).toBeUndefined();
  });

  it('takes a note and a link, trimmed, either alone', () => {
    expect(
      readResolutionInput({
        resolution: {
          note: '  Rolled back cart to v41 ',
          postmortemUrl: ' https://wiki.example.com/pm/42 ',
        },
      }),
    ).toEqual({
      note: 'Rolled back cart to v41',
      postmortemUrl: 'https://wiki.example.com/pm/42',
    });
    expect(readResolutionInput({ resolution: { note: 'x' } })).toEqual({
      note: 'x',
    });
    expect(
      readResolutionInput({ resolution: { postmortemUrl: 'http://pm/1' } }),
    ).toEqual({ postmortemUrl: 'http://pm/1' });
    // An empty resolution clears what a resolved incident recorded.
    expect(readResolutionInput({ resolution: {} })).toEqual({});
  });

  it.each([
    [{ resolution: 'fixed' }, /^resolution must be an object/],
    [{ resolution: null }, /^resolution must be an object/],
    [{ resolution: { note: '   ' } }, /^resolution\.note /],
    [{ resolution: { note: 5 } }, /^resolution\.note /],
    [{ resolution: { note: 'x'.repeat(4001) } }, /^resolution\.note .*4000/],
    [
      { resolution: { postmortemUrl: 'wiki/pm/42' } },
      /^resolution\.postmortemUrl .*absolute/,
    ],
    [
      { resolution: { postmortemUrl: ['javascript', 'alert(1)'].join(':') } },
      /^resolution\.postmortemUrl .*http/,
    ],
    [
      { resolution: { postmortemUrl: 'ftp://pm/1' } },
      /^resolution\.postmortemUrl .*http/,
    ],
    [
      { resolution: { postmortemUrl: 'https://ann:secret@pm/1' } },
      /^resolution\.postmortemUrl .*password/,
    ],
    [
      { resolution: { postmortemUrl: `https://pm/${'x'.repeat(2000)}` } },
      /^resolution\.postmortemUrl .*2000/,
    ],
  ])('refuses %j naming the field', (body, message) => {
    expect(() => readResolutionInput(body)).toThrow(InputError);
    expect(() => readResolutionInput(body)).toThrow(message);
  });
});
