import type { Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthGuard, tokenVerifierProvider } from './auth.guard';
import { OperationOutcomeFilter } from './operation-outcome.filter';

/**
 * What every app with an HTTP API adds to its module's providers: token verification for
 * `@UseGuards(AuthGuard)` routes and OperationOutcome answers for every error.
 */
export const httpApiProviders: Provider[] = [
  AuthGuard,
  tokenVerifierProvider,
  { provide: APP_FILTER, useClass: OperationOutcomeFilter },
];
