import { chunksOf, LanePriority } from './lane-priority';

describe('the urgent lane first', () => {
  it('lets routine work go at once when nothing urgent runs', async () => {
    const priority = new LanePriority();
    await expect(priority.routineTurn()).resolves.toBeUndefined();
  });

  it('holds routine work until the last urgent batch has finished', async () => {
    const priority = new LanePriority();
    const order: string[] = [];
    /** Urgent work that finishes (and says so) when its `finish` is called. */
    const urgentWork = (name: string) => {
      let finish = (): void => undefined;
      const done = priority.urgent(
        () =>
          new Promise<void>((resolve) => {
            finish = () => {
              order.push(name);
              resolve();
            };
          }),
      );
      return {
        done,
        finish: () => {
          finish();
        },
      };
    };
    const first = urgentWork('urgent 1');
    const second = urgentWork('urgent 2');
    const routine = priority.routineTurn().then(() => {
      order.push('routine');
    });
    expect(priority.urgentBusy).toBe(true);
    first.finish();
    await first.done;
    await Promise.resolve();
    expect(order).toEqual(['urgent 1']);
    second.finish();
    await Promise.all([second.done, routine]);
    expect(order).toEqual(['urgent 1', 'urgent 2', 'routine']);
    expect(priority.urgentBusy).toBe(false);
  });

  it('gives the turn back when urgent work fails', async () => {
    const priority = new LanePriority();
    await expect(priority.urgent(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(priority.urgentBusy).toBe(false);
    await expect(priority.routineTurn()).resolves.toBeUndefined();
  });
});

describe('chunks of a batch', () => {
  it('keeps the order and the last, shorter chunk', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 2)).toEqual([]);
    expect(() => chunksOf([1], 0)).toThrow();
  });
});
