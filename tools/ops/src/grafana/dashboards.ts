import type { ClassicDashboard } from './classic-dashboard';
import { kafkaDashboard } from './kafka';
import { municipalityDashboard } from './municipality';
import { overviewDashboard } from './overview';
import { vendorDashboard } from './vendor';

export interface GeneratedDashboard {
  /** The file name in deploy/grafana/dashboards/ (and the chart's copy). */
  readonly file: string;
  readonly dashboard: ClassicDashboard;
}

/** Every dashboard, in the order an operator opens them. */
export function buildDashboards(): GeneratedDashboard[] {
  return [
    { file: 'knutepunkt-overview.json', dashboard: overviewDashboard().build() },
    { file: 'knutepunkt-municipality.json', dashboard: municipalityDashboard().build() },
    { file: 'knutepunkt-vendor.json', dashboard: vendorDashboard().build() },
    { file: 'knutepunkt-kafka.json', dashboard: kafkaDashboard().build() },
  ];
}

/** The committed form: two-space JSON with a final newline (what Prettier leaves alone). */
export function dashboardJson(dashboard: ClassicDashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
}

interface PanelLike {
  readonly title?: string;
  readonly targets?: readonly { readonly expr?: unknown }[];
  readonly panels?: readonly PanelLike[];
}

/** Every PromQL expression of every panel (rows' nested panels included). */
export function panelQueries(dashboard: ClassicDashboard): PanelQuery[] {
  const queries: PanelQuery[] = [];
  const visit = (panels: readonly PanelLike[]): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        if (typeof target.expr === 'string') {
          queries.push({
            dashboard: dashboard.title ?? '',
            panel: panel.title ?? '',
            expr: target.expr,
          });
        }
      }
      visit(panel.panels ?? []);
    }
  };
  visit((dashboard.panels ?? []) as readonly PanelLike[]);
  return queries;
}

/** Grafana's built-in and dashboard variables, given a value so the expression is plain PromQL. */
export function withVariablesResolved(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, '5m')
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, 'value');
}
