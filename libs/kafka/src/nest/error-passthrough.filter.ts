import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC exception handler replaces every error with
 * `{ status: 'error', message: 'Internal server error' }`. The batch consumer needs the error
 * itself: its class decides retry or dead-letter and its message goes into the DLQ headers.
 * Install on the microservice: `microservice.useGlobalFilters(new KafkaErrorPassthroughFilter())`.
 */
@Catch()
export class KafkaErrorPassthroughFilter implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
