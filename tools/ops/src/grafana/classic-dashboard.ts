/* eslint-disable @typescript-eslint/no-deprecated --
 * The SDK marks the classic dashboard model deprecated in favour of its `dashboardv2` builder,
 * which targets Grafana 12's new dashboard API. The classic JSON is what Grafana's file
 * provisioning and the Helm chart's sidecar ConfigMaps load on every Grafana version, so the
 * dashboards stay classic; this file is the one place that says so.
 */
import { DashboardBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

export type ClassicDashboard = Dashboard;
export type ClassicDashboardBuilder = DashboardBuilder;

export function classicDashboard(title: string): ClassicDashboardBuilder {
  return new DashboardBuilder(title);
}
