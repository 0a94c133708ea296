import { GroupCommit } from './GroupCommit';

function deferred() {
  let release!: () => void;
  const done = new Promise<void>(resolve => {
    release = resolve;
  });
  return { done, release };
}

describe('GroupCommit', () => {
  it('writes at once when idle and batches what arrives during a write', async () => {
    const writes: number[][] = [];
    const gate = deferred();
    const commit = new GroupCommit<number, string>(async items => {
      writes.push(items);
      if (writes.length === 1) await gate.done;
      return items.map(i => `r${i}`);
    });

    const first = commit.submit([1]);
    const second = commit.submit([2, 3]);
    const third = commit.submit([4]);
    gate.release();

    expect(await first).toEqual(['r1']);
    expect(await second).toEqual(['r2', 'r3']);
    expect(await third).toEqual(['r4']);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('never splits a request and caps a batch at maxItems', async () => {
    const writes: number[][] = [];
    const gate = deferred();
    const commit = new GroupCommit<number, number>(async items => {
      writes.push(items);
      if (writes.length === 1) await gate.done;
      return items;
    }, 3);
    const pending = [
      commit.submit([0]),
      commit.submit([1, 2]),
      commit.submit([3, 4]),
      commit.submit([5, 6, 7, 8]),
    ];
    gate.release();
    await Promise.all(pending);
    expect(writes).toEqual([[0], [1, 2], [3, 4], [5, 6, 7, 8]]);
  });

  it('fails every request of a failed batch and keeps serving later ones', async () => {
    let fail = true;
    const gate = deferred();
    const commit = new GroupCommit<number, number>(async items => {
      await gate.done;
      if (fail) throw new Error('database down');
      return items;
    });
    const a = commit.submit([1]);
    const b = commit.submit([2]);
    gate.release();
    await expect(a).rejects.toThrow('database down');
    await expect(b).rejects.toThrow('database down');
    fail = false;
    expect(await commit.submit([3])).toEqual([3]);
  });
});
