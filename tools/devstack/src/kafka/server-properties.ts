import { randomBytes } from 'node:crypto';
import { DevstackError } from '../errors';

export interface KafkaSettings {
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly logDirs: string;
}

/**
 * Fills deploy/local/kafka/server.properties: every `{{name}}` outside comment lines is replaced
 * by its value. A placeholder without a value is an error, so a template that grows a new
 * setting cannot silently render "{{x}}" into the broker's configuration.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template
    .split('\n')
    .map((line) => {
      if (line.trimStart().startsWith('#')) return line;
      return line.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (_match, key: string) => {
        const value = values[key];
        if (value === undefined)
          throw new DevstackError(`server.properties template: no value for {{${key}}}`);
        if (/[\r\n]/.test(value))
          throw new DevstackError(`server.properties template: value for {{${key}}} spans lines`);
        return value;
      });
    })
    .join('\n');
}

export function renderServerProperties(template: string, settings: KafkaSettings): string {
  if (settings.port === settings.controllerPort) {
    throw new DevstackError(
      `Kafka's client and controller listeners need two ports, both are ${settings.port}`,
    );
  }
  return renderTemplate(template, {
    host: settings.host,
    port: String(settings.port),
    controllerPort: String(settings.controllerPort),
    // java.util.Properties reads a backslash as an escape: write Windows paths with slashes.
    logDirs: settings.logDirs.replace(/\\/g, '/'),
  });
}

/** Parses the key=value lines of a .properties file (no continuation lines: ours has none). */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    result.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return result;
}

/**
 * A Kafka cluster id as `kafka-storage random-uuid` makes it: 16 random bytes, URL-safe base64
 * without padding (22 characters). Like Kafka's Uuid.randomUuid, never one that starts with '-'
 * (it would read as a command-line flag) or the reserved all-zero and metadata-topic ids.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const bytes = random(16);
    const id = bytes.toString('base64url');
    const reserved =
      bytes.subarray(0, 15).every((b) => b === 0) && (bytes[15] === 0 || bytes[15] === 1);
    if (!id.startsWith('-') && !reserved) return id;
  }
}

export function isClusterId(text: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(text);
}

/** The <kafka.version> property of tools/devstack/kafka/pom.xml. */
export function kafkaVersionFromPom(pom: string): string | undefined {
  return /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom)?.[1];
}
