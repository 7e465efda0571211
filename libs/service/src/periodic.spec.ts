import { Periodic } from './periodic';

describe('Periodic', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs `first` at once, then the task every interval, never two runs at once', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const runs: string[] = [];
    const slow = (name: string) => async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      runs.push(name);
      await new Promise((resolve) => setTimeout(resolve, 250));
      inFlight -= 1;
    };
    const periodic = new Periodic(slow('task'), 100);
    periodic.start(slow('first'));
    await jest.advanceTimersByTimeAsync(1_000);
    const stopped = periodic.stop();
    await jest.advanceTimersByTimeAsync(5_000);
    await stopped;
    expect(runs[0]).toBe('first');
    expect(runs.slice(1).every((name) => name === 'task')).toBe(true);
    expect(runs.length).toBeGreaterThan(2);
    expect(mostInFlight).toBe(1);
    expect(inFlight).toBe(0);
  });

  it('runs nothing after stop', async () => {
    const task = jest.fn(() => Promise.resolve());
    const periodic = new Periodic(task, 100);
    periodic.start();
    await jest.advanceTimersByTimeAsync(350);
    await periodic.stop();
    const calls = task.mock.calls.length;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(3);
    expect(task).toHaveBeenCalledTimes(calls);
  });
});
