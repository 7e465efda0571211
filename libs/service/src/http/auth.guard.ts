import {
  HttpException,
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
  type Provider,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import {
  authEnv,
  authSettings,
  createTokenVerifier,
  requireScope,
  type AuthError,
  type Principal,
  type Scope,
  type TokenVerifier,
} from '@knutepunkt/auth';
import { loadConfig, runtimeEnv } from '@knutepunkt/config';
import { SERVICE_RUNTIME } from '../tokens';
import type { ServiceRuntime } from '../service-runtime';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

export const tokenVerifierProvider: Provider = {
  provide: TOKEN_VERIFIER,
  inject: [SERVICE_RUNTIME],
  useFactory: (runtime: ServiceRuntime): TokenVerifier => {
    const settings = authSettings(loadConfig(authEnv.merge(runtimeEnv), runtime.envSource));
    return createTokenVerifier({
      jwks: settings.jwks,
      issuer: settings.issuer,
      audience: settings.audience,
      clockToleranceSeconds: settings.clockToleranceSeconds,
      dpop: { maxAgeSeconds: settings.dpopMaxAgeSeconds },
    });
  },
};

const requiredScopesKey = 'knutepunkt:required-scopes';

/** The route needs one of these scopes. */
export const RequireScopes = (...anyOf: Scope[]) => SetMetadata(requiredScopesKey, anyOf);

/** A refused token or scope, carrying libs/auth's verdict to the OperationOutcome filter. */
export class AuthFailure extends HttpException {
  constructor(readonly authError: AuthError) {
    super(authError.message, authError.status);
  }
}

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export function principalOf(request: FastifyRequest): Principal {
  const principal = (request as AuthenticatedRequest).principal;
  if (!principal) throw new Error('route is not behind AuthGuard');
  return principal;
}

/**
 * Verifies the bearer or DPoP-bound token (libs/auth: signature, issuer, audience, expiry,
 * the DPoP proof against this very request) and the route's scopes, then hands the
 * principal to the handler.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const verified = await this.verifier.verify(request.headers.authorization, {
      method: request.method,
      url: `${request.protocol}://${request.host}${request.url}`,
      dpopHeader: request.headers.dpop,
    });
    if (!verified.ok) throw new AuthFailure(verified.error);
    const anyOf =
      this.reflector.get<Scope[] | undefined>(requiredScopesKey, context.getHandler()) ?? [];
    const principal = verified.principal;
    if (anyOf.length > 0 && !anyOf.some((scope) => principal.scopes.has(scope))) {
      const refused = requireScope(principal, anyOf);
      if (!refused.ok) throw new AuthFailure(refused.error);
    }
    (request as AuthenticatedRequest).principal = principal;
    return true;
  }
}
