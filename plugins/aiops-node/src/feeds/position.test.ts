import { afterPage } from './position';

describe('afterPage', () => {
  const at = (cursor: string, reach = cursor, read = cursor) => ({
    cursor,
    reach,
    read,
  });

  it('moves the cursor past a page handled whole, or up to where the handler says', () => {
    expect(afterPage(at('5'), { end: '10', last: false })).toEqual(at('10'));
    expect(afterPage(at('5'), { end: '10', done: '7', last: false })).toEqual(
      at('7', '10', '10'),
    );
    // Left the first item: the handler may say so with any cursor at or before the page.
    expect(afterPage(at('5'), { end: '10', done: '5', last: false })).toEqual(
      at('5', '10', '10'),
    );
  });

  it('keeps the cursor while an item left before the page is still left', () => {
    expect(afterPage(at('5', '10', '10'), { end: '15', last: false })).toEqual(
      at('5', '15', '15'),
    );
  });

  it('goes on from where reading had got once a page re-read from the cursor leaves items again', () => {
    expect(
      afterPage(at('5', '40', '5'), { end: '10', done: '6', last: false }),
    ).toEqual(at('6', '40', '40'));
    // A page handled whole keeps re-reading.
    expect(afterPage(at('5', '40', '5'), { end: '10', last: false })).toEqual(
      at('10', '40', '10'),
    );
  });

  it('moves the cursor to where reading had got when the feed holds nothing more to handle', () => {
    expect(afterPage(at('5', '40', '5'), { end: '5', last: true })).toEqual(
      at('40'),
    );
    expect(
      afterPage(at('5', '40', '5'), { end: '9', done: '6', last: true }),
    ).toEqual(at('6', '40', '40'));
  });
});
