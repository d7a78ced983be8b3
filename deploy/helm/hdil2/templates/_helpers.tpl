{{/* Chart name. */}}
{{- define "hdil2.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every resource name. */}}
{{- define "hdil2.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels on every resource. */}}
{{- define "hdil2.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hdil2
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The effective settings of one service: serviceDefaults overridden by services.<name>.
Call with (dict "root" $ "name" "dosing-service"); returns JSON (fromYaml reads it too).
*/}}
{{- define "hdil2.svc.values" -}}
{{- include "hdil2.deepMerge" (dict "base" .root.Values.serviceDefaults "over" (index .root.Values.services .name)) -}}
{{- end -}}

{{/*
Deep merge where every value of "over" wins, false, 0 and "" included (sprig's mergeOverwrite skips those,
so a service could not switch off what serviceDefaults switches on). Returns JSON.
*/}}
{{- define "hdil2.deepMerge" -}}
{{- $dst := deepCopy .base -}}
{{- range $k, $v := .over -}}
{{- if and (kindIs "map" $v) (kindIs "map" (get $dst $k)) -}}
{{- $_ := set $dst $k (include "hdil2.deepMerge" (dict "base" (get $dst $k) "over" $v) | fromJson) -}}
{{- else -}}
{{- $_ := set $dst $k $v -}}
{{- end -}}
{{- end -}}
{{- toJson $dst -}}
{{- end -}}

{{/* Resource name of one service: (dict "root" $ "name" "dosing-service"). */}}
{{- define "hdil2.svc.fullname" -}}
{{- printf "%s-%s" (include "hdil2.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hdil2.svc.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "hdil2.svc.labels" -}}
{{ include "hdil2.labels" .root }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Image of one service: (dict "root" $ "name" ... "svc" <effective values>). */}}
{{- define "hdil2.svc.image" -}}
{{- $img := .root.Values.image -}}
{{- $own := default dict .svc.image -}}
{{- $repo := default (printf "%s/%s/%s" $img.registry $img.repositoryPrefix .name) $own.repository -}}
{{- $tag := default (default .root.Chart.AppVersion $img.tag) $own.tag -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}

{{/* Kafka bootstrap servers the services use. */}}
{{- define "hdil2.kafka.bootstrap" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{- printf "%s-kafka-bootstrap.%s.svc:%v" .Values.kafka.strimzi.clusterName .Release.Namespace .Values.kafka.strimzi.listenerPort -}}
{{- else -}}
{{- .Values.kafka.external.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{/* Kafka user (and its Strimzi-made Secret) of one service in strimzi mode. */}}
{{- define "hdil2.svc.kafkaUser" -}}
{{- include "hdil2.svc.fullname" . -}}
{{- end -}}

{{/* The AsyncAPI document shipped in files/ (a checked copy of platform/contract). */}}
{{- define "hdil2.asyncapi" -}}
{{- .Files.Get "files/asyncapi.yaml" -}}
{{- end -}}

{{/* Names of the enabled services, in a fixed order. */}}
{{- define "hdil2.enabledServices" -}}
{{- $out := list -}}
{{- range $name := list "eligibility-service" "dosing-service" "monitoring-service" "alert-service" -}}
{{- $s := index $.Values.services $name -}}
{{- if and $s $s.enabled -}}
{{- $out = append $out $name -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* Cross-field checks that values.schema.json cannot express with a clear message. */}}
{{- define "hdil2.validate" -}}
{{- if and (eq .Values.kafka.mode "external") (not .Values.kafka.external.bootstrapServers) -}}
{{- fail "kafka.external.bootstrapServers is required when kafka.mode is external" -}}
{{- end -}}
{{- if and .Values.oidc.authServerUrl .Values.oidc.publicKey -}}
{{- fail "set either oidc.authServerUrl (production) or oidc.publicKey (tests), not both" -}}
{{- end -}}
{{- if not (or .Values.oidc.authServerUrl .Values.oidc.publicKey) -}}
{{- fail "oidc.authServerUrl is required (the hospital's OIDC provider); without it no token can be verified" -}}
{{- end -}}
{{- $ext := .Values.kafka.external -}}
{{- if and (eq .Values.kafka.mode "external") (hasPrefix "SASL" $ext.securityProtocol) (not $ext.saslMechanism) -}}
{{- fail (printf "kafka.external.saslMechanism is required when kafka.external.securityProtocol is %s" $ext.securityProtocol) -}}
{{- end -}}
{{- if eq (len (include "hdil2.enabledServices" . | fromJsonArray)) 0 -}}
{{- fail "no service enabled: set services.<name>.enabled=true for at least one of the four services" -}}
{{- end -}}
{{- range $name := include "hdil2.enabledServices" . | fromJsonArray -}}
{{- $a := (include "hdil2.svc.values" (dict "root" $ "name" $name) | fromYaml).autoscaling -}}
{{- if and $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) -}}
{{- fail (printf "services.%s.autoscaling.minReplicas (%v) is greater than maxReplicas (%v)" $name $a.minReplicas $a.maxReplicas) -}}
{{- end -}}
{{- end -}}
{{- $m := fromYaml (include "hdil2.svc.values" (dict "root" . "name" "monitoring-service")) -}}
{{- if and $m.enabled (eq $m.streams.stateVolume.type "pvc") (or $m.autoscaling.enabled (gt (int $m.replicaCount) 1)) -}}
{{- fail "services.monitoring-service.streams.stateVolume.type=pvc needs replicaCount 1 and autoscaling off (one ReadWriteOnce volume); use emptyDir to scale out" -}}
{{- end -}}
{{- end -}}

{{/* The ConfigMap data of one service: (dict "root" $ "name" ... "svc" ...). */}}
{{- define "hdil2.svc.configData" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $kafka := $root.Values.kafka -}}
HTTP_HOST: "0.0.0.0"
HTTP_PORT: "8080"
JAVA_OPTS_APPEND: {{ $svc.javaOptions | quote }}
MALLOC_ARENA_MAX: {{ $svc.mallocArenaMax | default 2 | quote }}
DB_URL: {{ $svc.database.url | quote }}
DB_POOL_MAX: {{ $svc.dbPoolMax | quote }}
HDIL2_OUTBOX_RELAY_ENABLED: {{ $svc.outboxRelayEnabled | quote }}
KAFKA_SESSION_TIMEOUT_MS: {{ $svc.kafkaSessionTimeoutMs | quote }}
KAFKA_BOOTSTRAP_SERVERS: {{ include "hdil2.kafka.bootstrap" $root | quote }}
{{- if eq $kafka.mode "strimzi" }}
KAFKA_SECURITY_PROTOCOL: SASL_SSL
KAFKA_SASL_MECHANISM: SCRAM-SHA-512
KAFKA_SSL_TRUSTSTORE_TYPE: PEM
KAFKA_SSL_TRUSTSTORE_LOCATION: /etc/hdil2/kafka-truststore/ca.crt
{{- else }}
KAFKA_SECURITY_PROTOCOL: {{ $kafka.external.securityProtocol | quote }}
{{- with $kafka.external.saslMechanism }}
KAFKA_SASL_MECHANISM: {{ . | quote }}
{{- end }}
{{- with $kafka.external.truststore }}
{{- if .secretName }}
KAFKA_SSL_TRUSTSTORE_TYPE: {{ .type | quote }}
KAFKA_SSL_TRUSTSTORE_LOCATION: {{ printf "/etc/hdil2/kafka-truststore/%s" .key | quote }}
{{- end }}
{{- end }}
{{- with $kafka.external.keystore }}
{{- if .secretName }}
KAFKA_SSL_KEYSTORE_TYPE: {{ .type | quote }}
KAFKA_SSL_KEYSTORE_LOCATION: {{ printf "/etc/hdil2/kafka-keystore/%s" .key | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- range $k, $v := $kafka.clientProperties }}
{{ printf "KAFKA_%s" ($k | upper | replace "." "_") }}: {{ $v | toString | quote }}
{{- end }}
{{- with $root.Values.oidc }}
{{- if .authServerUrl }}
OIDC_AUTH_SERVER_URL: {{ .authServerUrl | quote }}
{{- else }}
OIDC_PUBLIC_KEY: {{ .publicKey | quote }}
{{- end }}
OIDC_TOKEN_ISSUER: {{ .tokenIssuer | quote }}
OIDC_CLIENT_ID: {{ .clientId | quote }}
OIDC_ROLE_CLAIM_PATH: {{ .roleClaimPath | quote }}
OIDC_TOKEN_AUDIENCE: {{ .audience | quote }}
OIDC_TOKEN_MAX_LIFETIME: {{ .maxTokenLifetime | quote }}
{{- end }}
{{- if eq .name "eligibility-service" }}
ELIGIBILITY_PROTOCOL: {{ $svc.protocol | quote }}
{{- if $svc.protocolConfigMap }}
ELIGIBILITY_PROTOCOL_DIR: /etc/hdil2/protocols
{{- end }}
CDS_HOOKS_BASE_URL: {{ $svc.cdsHooks.baseUrl | quote }}
CDS_HOOKS_TRUSTED_ISSUERS: {{ $svc.cdsHooks.trustedIssuers | quote }}
CDS_HOOKS_ALDESLEUKIN_RXNORM: {{ $svc.cdsHooks.rxnormCodes | quote }}
{{- else if eq .name "dosing-service" }}
DOSING_PROTOCOL: {{ $svc.protocol | quote }}
{{- if $svc.protocolConfigMap }}
DOSING_PROTOCOL_DIR: /etc/hdil2/protocols
{{- end }}
MONITORING_URL: {{ $svc.monitoringUrl | default (printf "http://%s:8080" (include "hdil2.svc.fullname" (dict "root" $root "name" "monitoring-service"))) | quote }}
MONITORING_TIMEOUT: {{ $svc.monitoringTimeout | quote }}
DOSING_PENDING_GRACE: {{ $svc.currency.pendingGrace | quote }}
DOSING_CHECKPOINT_MAX_AGE: {{ $svc.currency.maxCheckpointAge | quote }}
{{- else if eq .name "monitoring-service" }}
MONITORING_PROTOCOL: {{ $svc.protocol | quote }}
{{- if $svc.protocolConfigMap }}
MONITORING_PROTOCOL_DIR: /etc/hdil2/protocols
{{- end }}
MONITORING_PUNCTUATE_INTERVAL: {{ $svc.punctuateInterval | quote }}
MONITORING_CHECKPOINT_INTERVAL: {{ $svc.checkpointInterval | quote }}
MONITORING_STALL_AFTER: {{ $svc.stallAfter | quote }}
MONITORING_STATE_FORMAT: {{ $svc.stateFormat | default "binary" | quote }}
KAFKA_STREAMS_STATE_DIR: "/var/lib/hdil2/streams"
KAFKA_STREAMS_THREADS: {{ $svc.streams.threads | quote }}
KAFKA_STREAMS_ROCKSDB_MEMORY_MB: {{ $svc.streams.rocksdbMemoryMb | default 32 | quote }}
KAFKA_STREAMS_COMMIT_INTERVAL_MS: {{ $svc.streams.commitIntervalMs | quote }}
KAFKA_STREAMS_REPLICATION_FACTOR: {{ $svc.streams.replicationFactor | quote }}
KAFKA_STREAMS_SESSION_TIMEOUT_MS: {{ $svc.streams.sessionTimeoutMs | quote }}
KAFKA_STREAMS_STANDBY_REPLICAS: {{ $svc.streams.standbyReplicas | quote }}
{{- else if eq .name "alert-service" }}
HDIL2_ALERTS_FLAP_WINDOW: {{ $svc.flapWindow | quote }}
HDIL2_ALERTS_PRIORITY_RULE_OVERRIDES: {{ $svc.priority.ruleOverrides | quote }}
HDIL2_ALERTS_ESCALATION_HIGH: {{ $svc.escalation.high | quote }}
HDIL2_ALERTS_ESCALATION_MEDIUM: {{ $svc.escalation.medium | quote }}
HDIL2_ALERTS_ESCALATION_LOW: {{ $svc.escalation.low | quote }}
{{- if $svc.webhook.url }}
HDIL2_ALERTS_WEBHOOK_URL: {{ $svc.webhook.url | quote }}
HDIL2_ALERTS_WEBHOOK_MAX_ATTEMPTS: {{ $svc.webhook.maxAttempts | quote }}
{{- end }}
{{- end }}
{{- range $k, $v := $svc.extraEnv }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end -}}
