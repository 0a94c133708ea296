import { vectorFromBytes, vectorToBytes } from './vectorBytes';

describe('vector bytes', () => {
  it('stores four little-endian bytes a value and reads the same vector back', () => {
    const vector = Float32Array.from([1, -0.5, 0.25, 3.4028234663852886e38]);
    const bytes = vectorToBytes(vector);
    expect(bytes).toHaveLength(16);
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x00, 0x80, 0x3f]);
    expect(Array.from(vectorFromBytes(bytes))).toEqual(Array.from(vector));
  });

  it('reads a view into a larger buffer from its own offset', () => {
    const bytes = vectorToBytes(Float32Array.from([0.5, 2]));
    const padded = Buffer.concat([Buffer.from([9, 9, 9]), bytes]).subarray(3);
    expect(Array.from(vectorFromBytes(padded))).toEqual([0.5, 2]);
  });
});
