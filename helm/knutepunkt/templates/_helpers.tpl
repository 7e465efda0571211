{{/*
Facts about the services that DESIGN.md fixes, so no value can contradict them: which app owns a
PostgreSQL schema (migrations, DATABASE_URL, PostgreSQL egress) and which serves an authenticated
API (AUTH_* settings, JWKS egress). Ranging over this map (Go templates range maps in key order)
renders the services in a stable order.
*/}}
{{- define "knutepunkt.apps" -}}
audit:
  database: true
  api: true
consent:
  database: true
  api: true
ingest:
  database: true
  api: true
journal-writer:
  database: true
  api: true
normalizer:
  database: false
  api: false
{{- end }}

{{/* Expand the name of the chart. */}}
{{- define "knutepunkt.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name, truncated at 63 characters (DNS names). When the release
name already contains the chart name it is used as is.
*/}}
{{- define "knutepunkt.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart name and version as used by the chart label. */}}
{{- define "knutepunkt.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels. */}}
{{- define "knutepunkt.labels" -}}
helm.sh/chart: {{ include "knutepunkt.chart" . }}
{{ include "knutepunkt.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: knutepunkt
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels. */}}
{{- define "knutepunkt.selectorLabels" -}}
app.kubernetes.io/name: {{ include "knutepunkt.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The name of one component's resources: `<fullname>-<component>`. Call with (dict "root" $ "component" "ingest"). */}}
{{- define "knutepunkt.componentName" -}}
{{- printf "%s-%s" (include "knutepunkt.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of one component. Call with (dict "root" $ "component" "ingest"). */}}
{{- define "knutepunkt.componentLabels" -}}
{{ include "knutepunkt.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Selector labels of one component. Call with (dict "root" $ "component" "ingest"). */}}
{{- define "knutepunkt.componentSelectorLabels" -}}
{{ include "knutepunkt.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The services' image reference; a digest wins over the tag. */}}
{{- define "knutepunkt.image" -}}
{{- $repository := .Values.image.repository }}
{{- if .Values.image.registry }}
{{- $repository = printf "%s/%s" .Values.image.registry .Values.image.repository }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Pod security context of every pod: never root, the runtime's default seccomp profile. The hardened
parts are not values on purpose: an install cannot weaken them.
*/}}
{{- define "knutepunkt.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Container security context of every container: read-only root, no privilege escalation, no capabilities. */}}
{{- define "knutepunkt.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* KNUTEPUNKT_ENV and LOG_LEVEL. */}}
{{- define "knutepunkt.env.runtime" -}}
- name: KNUTEPUNKT_ENV
  value: {{ .Values.environment | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- end }}

{{/* The KAFKA_* settings. Call with (dict "root" $ "app" "ingest"). */}}
{{- define "knutepunkt.env.kafka" -}}
{{- $kafka := .root.Values.kafka -}}
- name: KAFKA_BROKERS
  value: {{ required "kafka.brokers is required: the bootstrap brokers as host:port" (join "," $kafka.brokers) | quote }}
{{- if $kafka.clientIdPrefix }}
- name: KAFKA_CLIENT_ID
  value: {{ printf "%s-%s" $kafka.clientIdPrefix .app | quote }}
{{- end }}
- name: KAFKA_SSL
  value: {{ ternary "true" "false" $kafka.tls | quote }}
{{- if $kafka.sasl.mechanism }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $kafka.sasl.mechanism | quote }}
{{- if $kafka.sasl.username }}
- name: KAFKA_SASL_USERNAME
  value: {{ $kafka.sasl.username | quote }}
{{- else }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.existingSecret is required when kafka.sasl.mechanism is set" $kafka.sasl.existingSecret | quote }}
      key: {{ $kafka.sasl.usernameKey | quote }}
{{- end }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.existingSecret is required when kafka.sasl.mechanism is set" $kafka.sasl.existingSecret | quote }}
      key: {{ $kafka.sasl.passwordKey | quote }}
{{- end }}
- name: KAFKA_REPLICATION_FACTOR
  value: {{ int64 $kafka.replicationFactor | quote }}
- name: KAFKA_MAX_ATTEMPTS
  value: {{ int64 $kafka.maxAttempts | quote }}
- name: KAFKA_RETRY_BACKOFF_MS
  value: {{ int64 $kafka.retryBackoffMs | quote }}
{{- end }}

{{/* The SCHEMA_REGISTRY_* settings. */}}
{{- define "knutepunkt.env.schemaRegistry" -}}
{{- $registry := .Values.schemaRegistry -}}
- name: SCHEMA_REGISTRY_URL
  value: {{ required "schemaRegistry.url is required: the Confluent-compatible API's base URL" $registry.url | quote }}
{{- if $registry.auth.existingSecret }}
- name: SCHEMA_REGISTRY_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $registry.auth.existingSecret | quote }}
      key: {{ $registry.auth.usernameKey | quote }}
- name: SCHEMA_REGISTRY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $registry.auth.existingSecret | quote }}
      key: {{ $registry.auth.passwordKey | quote }}
{{- end }}
{{- end }}

{{/* DATABASE_URL from the app's own Secret. Call with (dict "root" $ "app" "ingest"). */}}
{{- define "knutepunkt.env.databaseUrl" -}}
{{- $database := (index .root.Values.services .app).database -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "services.%s.database.existingSecret is required: a Secret with %s's PostgreSQL URL" .app .app) $database.existingSecret | quote }}
      key: {{ $database.urlKey | quote }}
{{- end }}

{{/* AUDIT_CHECKPOINT_SECRET of audit and of its verification CronJob. */}}
{{- define "knutepunkt.env.auditCheckpoint" -}}
- name: AUDIT_CHECKPOINT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ required "auditCheckpoint.existingSecret is required: a Secret with the audit checkpoint HMAC secret" .Values.auditCheckpoint.existingSecret | quote }}
      key: {{ .Values.auditCheckpoint.key | quote }}
{{- end }}

{{/* NODE_EXTRA_CA_CERTS; include only when extraCaCertificates.existingSecret is set. */}}
{{- define "knutepunkt.env.extraCa" -}}
- name: NODE_EXTRA_CA_CERTS
  value: {{ printf "/etc/knutepunkt/ca/%s" .Values.extraCaCertificates.key | quote }}
{{- end }}

{{/* Volume mounts shared by every container: a writable /tmp and the extra CAs. */}}
{{- define "knutepunkt.commonVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.extraCaCertificates.existingSecret }}
- name: extra-ca
  mountPath: /etc/knutepunkt/ca
  readOnly: true
{{- end }}
{{- end }}

{{/* Volumes shared by every pod. */}}
{{- define "knutepunkt.commonVolumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if .Values.extraCaCertificates.existingSecret }}
- name: extra-ca
  secret:
    secretName: {{ .Values.extraCaCertificates.existingSecret | quote }}
    items:
      - key: {{ .Values.extraCaCertificates.key | quote }}
        path: {{ .Values.extraCaCertificates.key | quote }}
{{- end }}
{{- end }}

{{/*
One egress rule: to the given peers on the given TCP ports; with no peers, any address on those
ports. Call with (dict "peers" $peers "ports" $ports).
*/}}
{{- define "knutepunkt.egressRule" -}}
- ports:
    {{- range .ports }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
  {{- with .peers }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* Egress to the cluster DNS. */}}
{{- define "knutepunkt.egressDns" -}}
- to:
    - namespaceSelector:
        {{- toYaml .Values.networkPolicy.dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml .Values.networkPolicy.dns.podSelector | nindent 8 }}
  ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- end }}

{{/* Annotations of a hook resource; call with the hook weight. */}}
{{- define "knutepunkt.hookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ . | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end }}

{{/*
The AUTH_* settings of a service with an API. Fails like the services would at boot (libs/auth),
but at install: an issuer and exactly one JWKS source, https in production.
*/}}
{{- define "knutepunkt.env.auth" -}}
{{- $auth := .Values.auth -}}
{{- if and $auth.jwksUrl $auth.jwks.existingSecret }}
{{- fail "auth.jwksUrl and auth.jwks.existingSecret: set one, not both" }}
{{- end }}
{{- if not (or $auth.jwksUrl $auth.jwks.existingSecret) }}
{{- fail "auth.jwksUrl or auth.jwks.existingSecret is required: the services verify bearer tokens against it" }}
{{- end }}
{{- if and (eq .Values.environment "production") $auth.jwksUrl (not (hasPrefix "https://" $auth.jwksUrl)) }}
{{- fail "auth.jwksUrl must be https in production" }}
{{- end }}
- name: AUTH_ISSUER
  value: {{ required "auth.issuer is required: the exact `iss` of accepted tokens" $auth.issuer | quote }}
{{- with $auth.audience }}
- name: AUTH_AUDIENCE
  value: {{ . | quote }}
{{- end }}
{{- with $auth.jwksUrl }}
- name: AUTH_JWKS_URL
  value: {{ . | quote }}
{{- end }}
{{- if $auth.jwks.existingSecret }}
- name: AUTH_JWKS_FILE
  value: {{ printf "/etc/knutepunkt/jwks/%s" $auth.jwks.key | quote }}
{{- end }}
- name: AUTH_CLOCK_TOLERANCE_SECONDS
  value: {{ int64 $auth.clockToleranceSeconds | quote }}
- name: AUTH_DPOP_MAX_AGE_SECONDS
  value: {{ int64 $auth.dpopMaxAgeSeconds | quote }}
{{- end }}
