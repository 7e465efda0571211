import {
  formatPidFile,
  isPidAlive,
  isRecordAlive,
  listeningInodes,
  parsePidFile,
  parseProcStat,
  processStartTicks,
} from './process';

describe('pid files', () => {
  it('round-trips pid, start time and command', () => {
    const record = { pid: 4242, startTicks: 987654, command: '/usr/bin/java' };
    expect(parsePidFile(formatPidFile(record))).toEqual(record);
  });

  it('reads a bare pid, as other tools write it', () => {
    expect(parsePidFile('31337\n')).toEqual({ pid: 31337 });
    expect(parsePidFile('  31337  ')).toEqual({ pid: 31337 });
  });

  it('rejects empty, garbage and pids that cannot be ours', () => {
    for (const text of ['', '\n', 'java', '12ab', '-5', '0', '1', '1.5', '99999999999999999999']) {
      expect(parsePidFile(text)).toBeUndefined();
    }
  });

  it('ignores unknown and malformed key=value lines', () => {
    expect(parsePidFile('77\nstart=abc\nfoo=bar\nnonsense\ncommand=\n')).toEqual({ pid: 77 });
  });

  it('keeps the command on one line', () => {
    expect(formatPidFile({ pid: 9, command: 'a\nb' })).toBe('9\ncommand=a b\n');
  });
});

describe('liveness', () => {
  it('sees this process alive, with a start time from /proc on Linux', () => {
    expect(isPidAlive(process.pid)).toBe(true);
    const ticks = processStartTicks(process.pid);
    expect(
      isRecordAlive({ pid: process.pid, ...(ticks === undefined ? {} : { startTicks: ticks }) }),
    ).toBe(true);
  });

  it('treats a reused pid (another start time) as not ours', () => {
    const ticks = processStartTicks(process.pid);
    if (ticks === undefined) return; // no /proc: nothing to compare
    expect(isRecordAlive({ pid: process.pid, startTicks: ticks + 1 })).toBe(false);
  });

  it('parses /proc/<pid>/stat even when the command name has spaces and parentheses', () => {
    const stat =
      '1234 (my (weird) proc) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 5555 1000 10 18446744073709551615';
    const fields = parseProcStat(stat);
    expect(fields?.[0]).toBe('S');
    expect(fields?.[19]).toBe('5555');
  });
});

describe('listeningInodes', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:2384 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0000000000000000 20 4 30 10 -1',
    '   2: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 333 1 0000000000000000 100 0 0 10 0',
  ].join('\n');

  it('finds the socket listening on a port (hex in /proc/net/tcp), not its connections', () => {
    expect(listeningInodes(table, 9092)).toEqual(['111']); // 9092 = 0x2384
    expect(listeningInodes(table, 5432)).toEqual(['333']); // 5432 = 0x1538
    expect(listeningInodes(table, 8081)).toEqual([]);
  });
});
