import {
  BigValueColorMode,
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
  type DataSourceRef,
} from '@grafana/grafana-foundation-sdk/common';
import {
  CustomVariableBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type Threshold,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, QueryEditorMode } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { appNames } from '@knutepunkt/schemas';

/** Every panel queries the Prometheus the dashboard's `datasource` variable names. */
export const datasource: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** `namespace=~"$namespace"`: one release of the chart, or all (also matches no namespace). */
export const inNamespace = 'namespace=~"$namespace"';

/** The selector of a metric every app exports under its own prefix (`knutepunkt_<app>_<what>`). */
export function everyApp(what: string, extra = ''): string {
  const matchers = [`__name__=~"knutepunkt_.+_${what}"`, inNamespace, extra].filter(Boolean);
  return `{${matchers.join(', ')}}`;
}

/** The `up` selector of the five services (their scrape jobs are named after them). */
export const servicesUp = `up{job=~"${appNames.join('|')}", ${inNamespace}}`;

export interface Query {
  readonly expr: string;
  readonly legend?: string;
  /** An instant query (stats of the last value); range otherwise. */
  readonly instant?: boolean;
}

function target(query: Query, index: number): DataqueryBuilder {
  const builder = new DataqueryBuilder()
    .datasource(datasource)
    .refId(String.fromCharCode(65 + index))
    .editorMode(QueryEditorMode.Code)
    .expr(query.expr)
    .legendFormat(query.legend ?? '__auto');
  return query.instant ? builder.instant() : builder.range();
}

export interface PanelOptions {
  readonly title: string;
  readonly description: string;
  readonly queries: readonly Query[];
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly width?: number;
  readonly height?: number;
}

export function timeseries(options: PanelOptions): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(datasource)
    .unit(options.unit ?? 'short')
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .fillOpacity(10)
    .lineWidth(1)
    .legend(
      new VizLegendOptionsBuilder()
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .showLegend(true)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(
      new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending),
    );
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  options.queries.forEach((query, index) => panel.withTarget(target(query, index)));
  return panel;
}

/** Colour steps from the base colour up: `[[null, 'green'], [0.99, 'red']]`. */
export type Steps = readonly (readonly [number | null, string])[];

export interface StatOptions extends PanelOptions {
  readonly steps?: Steps;
  /** Shown when the query returns nothing (e.g. `0`, or `no data yet`). */
  readonly noValue?: string;
}

export function stat(options: StatOptions): StatPanelBuilder {
  const steps: Threshold[] = (options.steps ?? [[null, 'green']]).map(([value, color]) => ({
    value,
    color,
  }));
  const panel = new StatPanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(datasource)
    .unit(options.unit ?? 'short')
    .span(options.width ?? 4)
    .height(options.height ?? 4)
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps));
  if (options.noValue !== undefined) panel.noValue(options.noValue);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  options.queries.forEach((query, index) =>
    panel.withTarget(target({ ...query, instant: query.instant ?? true }, index)),
  );
  return panel;
}

/** The Prometheus to read, chosen in the dashboard. */
export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus');
}

/** A variable filled from a label's values in Prometheus. */
export function labelVariable(options: {
  readonly name: string;
  readonly label: string;
  readonly query: string;
  readonly includeAll?: boolean;
  readonly multi?: boolean;
}): QueryVariableBuilder {
  const variable = new QueryVariableBuilder(options.name)
    .label(options.label)
    .datasource(datasource)
    .query({
      qryType: 1,
      query: options.query,
      refId: 'PrometheusVariableQueryEditor-VariableQuery',
    })
    .definition(options.query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.NaturalAsc)
    .multi(options.multi ?? false)
    .includeAll(options.includeAll ?? false);
  // "All" is a regex over every value, including a label that is absent (no namespace locally).
  if (options.includeAll) variable.allValue('.*').current({ text: 'All', value: '$__all' });
  return variable;
}

/** The chart's release namespace, or all of them. */
export function namespaceVariable(): QueryVariableBuilder {
  return labelVariable({
    name: 'namespace',
    label: 'Namespace',
    query: `label_values(up{job=~"${appNames.join('|')}"}, namespace)`,
    includeAll: true,
  });
}

/** One of the five services, several, or all. */
export function appVariable(): CustomVariableBuilder {
  return new CustomVariableBuilder('app')
    .label('Service')
    .values(appNames.join(','))
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}
