import type { Component } from '../component';
import { kafka } from './kafka';
import { postgres } from './postgres';
import { prometheus } from './prometheus';
import { schemaRegistry } from './schema-registry';

/** Everything the local stack runs; `up` orders them by dependsOn. Prometheus is optional. */
export const allComponents: readonly Component[] = [kafka, postgres, schemaRegistry, prometheus];
