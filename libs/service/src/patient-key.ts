import { loadConfig, patientKeyEnv, patientKeySecret, runtimeEnv } from '@knutepunkt/config';
import { createPatientKeyDeriver, type PatientKeyDeriver } from '@knutepunkt/fhir';
import type { ServiceRuntime } from './service-runtime';

/**
 * The deployment's patient-key function (PATIENT_KEY_SECRET; a fixed development secret
 * outside production). Every service that keys by patient uses this one, so the same patient
 * gets the same key everywhere.
 */
export function patientKeyDeriver(runtime: Pick<ServiceRuntime, 'envSource'>): PatientKeyDeriver {
  const secret = patientKeySecret(loadConfig(runtimeEnv.merge(patientKeyEnv), runtime.envSource));
  const derive = createPatientKeyDeriver(secret);
  if (!derive.ok) throw new Error(derive.error.message);
  return derive.value;
}
