import type { Provider } from '@nestjs/common';
import { AuthorizationRegister } from '@knutepunkt/auth';
import { Topics } from '@knutepunkt/schemas';
import type { ServiceRuntime } from './service-runtime';
import { SERVICE_RUNTIME } from './tokens';

export const AUTHORIZATION_REGISTER = Symbol('AUTHORIZATION_REGISTER');

/**
 * The authorization register, read from the compacted `knutepunkt.registry.v1` and kept
 * current; the app starts listening only after the view has caught up, so the first request
 * is judged against the whole register.
 */
export const authorizationRegisterProvider: Provider = {
  provide: AUTHORIZATION_REGISTER,
  inject: [SERVICE_RUNTIME],
  useFactory: async (runtime: ServiceRuntime): Promise<AuthorizationRegister> => {
    const register = new AuthorizationRegister();
    await runtime.openTableView(Topics.registry, (key, record) => {
      register.apply(key, record);
    });
    return register;
  },
};
