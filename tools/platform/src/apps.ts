// The list lives with the local stack, whose Prometheus scrapes the services too.
export { localApps, type AppName, type LocalApp } from '@knutepunkt/devstack';
