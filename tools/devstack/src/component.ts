/**
 * The contract between the devstack and each thing it runs. Kafka and PostgreSQL live in
 * ./components; the schema registry (./components/schema-registry.ts) is a plug-in written
 * against the same interface, and so is the optional Prometheus (./components/prometheus.ts).
 */
export interface StackPaths {
  readonly root: string;
  readonly local: string;
  readonly logs: string;
  readonly run: string;
}
export interface Component {
  readonly name: string; // 'kafka' | 'postgres' | 'schema-registry' | 'prometheus'
  readonly dependsOn: readonly string[];
  /**
   * Not part of the stack unless asked for (`up --with-<name>`, or named): `up` without names
   * leaves it out, `status` shows it only while it runs, `down` stops it with the rest.
   */
  readonly optional?: boolean;
  /** true when something answers at the component's address (started by us or not) */
  isUp(paths: StackPaths): Promise<boolean>;
  /** downloads/installs what it needs (idempotent, cached under .local) and starts it detached; resolves once it answers */
  start(paths: StackPaths): Promise<void>;
  /** stops it only if we started it (pid file in paths.run) */
  stop(paths: StackPaths): Promise<void>;
  /** one line for humans: where it runs */
  describe(): string;
}
