import type { Component } from '../component';
import { kafka } from './kafka';
import { postgres } from './postgres';
import { schemaRegistry } from './schema-registry';

/** Everything the local stack runs; `up` orders them by dependsOn. */
export const allComponents: readonly Component[] = [kafka, postgres, schemaRegistry];
