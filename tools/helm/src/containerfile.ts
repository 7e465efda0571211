import path from 'node:path';

/** One instruction of a Containerfile, continuation lines joined, comments dropped. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** A COPY, its destination resolved against the stage's working directory. */
export interface Copy {
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly destination: string;
}

export interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
  /** The working directory in effect at the end of the stage. */
  readonly workdir: string;
  /** The last USER, as written. */
  readonly user: string | undefined;
  /** The last ENTRYPOINT in exec (JSON) form. */
  readonly entrypoint: readonly string[] | undefined;
  readonly copies: readonly Copy[];
  /** The shell commands of its RUN instructions, in order. */
  readonly runs: readonly string[];
}

export interface Containerfile {
  /** ARGs before the first FROM, with their defaults. */
  readonly args: ReadonlyMap<string, string>;
  readonly stages: readonly Stage[];
}

function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    // A comment line is dropped even inside a continued instruction, as the builders do.
    if (trimmed.startsWith('#')) continue;
    if (trimmed.endsWith('\\')) {
      pending += `${trimmed.slice(0, -1).trim()} `;
      continue;
    }
    const whole = (pending + trimmed).trim();
    pending = '';
    if (whole === '') continue;
    const [keyword = '', ...rest] = whole.split(/\s+/);
    result.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
  }
  if (pending.trim() !== '') throw new Error('the Containerfile ends inside a continued line');
  return result;
}

function execForm(args: string, keyword: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`${keyword} must be in exec form (a JSON array of strings): ${args}`);
  }
  return parsed;
}

function copyOf(args: string, workdir: string): Copy {
  const words = args.split(' ');
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const destination = paths.pop();
  if (destination === undefined || paths.length === 0) throw new Error(`COPY ${args}`);
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  return {
    from,
    sources: paths,
    destination: path.posix.resolve(workdir, destination),
  };
}

/** Parses the subset of the Dockerfile syntax the services' image uses. */
export function parseContainerfile(text: string): Containerfile {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  let current:
    | {
        image: string;
        name: string | undefined;
        instructions: Instruction[];
        workdir: string;
        user: string | undefined;
        entrypoint: string[] | undefined;
        copies: Copy[];
        runs: string[];
      }
    | undefined;
  for (const instruction of instructions(text)) {
    const { keyword, args: rest } = instruction;
    if (keyword === 'FROM') {
      const [image = '', as, name] = rest.split(' ');
      current = {
        image,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
        workdir: '/',
        user: undefined,
        entrypoint: undefined,
        copies: [],
        runs: [],
      };
      stages.push(current);
      continue;
    }
    if (current === undefined) {
      if (keyword !== 'ARG') throw new Error(`${keyword} before the first FROM`);
      const [name = '', value = ''] = rest.split('=');
      args.set(name, value);
      continue;
    }
    current.instructions.push(instruction);
    if (keyword === 'WORKDIR') current.workdir = path.posix.resolve(current.workdir, rest);
    else if (keyword === 'USER') current.user = rest;
    else if (keyword === 'ENTRYPOINT') current.entrypoint = execForm(rest, keyword);
    else if (keyword === 'COPY') current.copies.push(copyOf(rest, current.workdir));
    else if (keyword === 'RUN') current.runs.push(rest);
  }
  return { args, stages };
}
