{{/* Name of the release's objects. */}}
{{- define "caravan.fullname" -}}
{{- printf "%s-caravan" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "caravan.labels" -}}
app.kubernetes.io/name: caravan
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "caravan.selector" -}}
app.kubernetes.io/name: caravan
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* A value given as a YAML string or as a structure, rendered with tpl (as the official chart does). */}}
{{- define "caravan.tpl" -}}
{{- if typeIs "string" .value }}{{ tpl .value .root }}{{ else }}{{ tpl (toYaml .value) .root }}{{ end -}}
{{- end -}}

{{/* Image of one deployable: [<registry>/]<repository>:<tag>, repository defaulting to <prefix>/<service>. */}}
{{- define "caravan.image" -}}
{{- $v := .root.Values -}}
{{- $own := default dict .image -}}
{{- $repo := default (printf "%s/%s" $v.image.repositoryPrefix .service) $own.repository -}}
{{- $registry := default (default "" $v.image.registry) $v.global.imageRegistry -}}
{{- if $registry }}{{ $repo = printf "%s/%s" $registry $repo }}{{ end -}}
{{- printf "%s:%s" $repo (default (default .root.Chart.AppVersion $v.image.tag) $own.tag) -}}
{{- end -}}

{{/* Pull secrets of every pod: imagePullSecrets and global.imagePullSecrets, names or {name} entries. */}}
{{- define "caravan.pullSecrets" -}}
{{- $names := list -}}
{{- range (concat (default list .Values.imagePullSecrets) (default list .Values.global.imagePullSecrets)) }}
{{- $name := . -}}
{{- if not (typeIs "string" .) }}{{ $name = get (default dict .) "name" }}{{ end -}}
{{- if and $name (not (has $name $names)) }}{{ $names = append $names $name }}{{ end -}}
{{- end -}}
{{- if $names }}
imagePullSecrets:
{{- range $names }}
  - name: {{ . }}
{{- end }}
{{- end -}}
{{- end -}}

{{- define "caravan.natsName" -}}{{ printf "%s-nats" (include "caravan.fullname" .) }}{{- end -}}
{{- define "caravan.mongoName" -}}{{ printf "%s-mongodb" (include "caravan.fullname" .) }}{{- end -}}

{{/*
Where Caravan's data lives: "external-url" (externalMongodbUrl / externalMongodb.url, kept in the chart's Secret),
"external-secret" (existingMongodbSecret / externalMongodb.existingSecret), "bundled" (the chart's replica set) or
"embedded" (no MongoDB: the all-in-one's embedded store on its data volume).
*/}}
{{- define "caravan.mongoMode" -}}
{{- $v := .Values -}}
{{- $external := default dict $v.externalMongodb -}}
{{- if or $v.existingMongodbSecret $external.existingSecret }}external-secret
{{- else if or $v.externalMongodbUrl $external.url }}external-url
{{- else if $v.mongodb.enabled }}bundled
{{- else }}embedded
{{- end -}}
{{- end -}}

{{/* Whether the pods get a TRANSPORTER (NATS); without one the all-in-one uses its in-process bus. */}}
{{- define "caravan.hasNats" -}}
{{- $v := .Values -}}
{{- if or $v.nats.enabled (get (default dict $v.nats.existingSecret) "name") (get (default dict $v.externalNats) "existingSecret") (get (default dict $v.externalNats) "url") }}true{{ end -}}
{{- end -}}

{{- define "caravan.mongoDatabase" -}}
{{- $auth := default dict .Values.mongodb.auth -}}
{{- default .Values.mongodb.database (first (default list $auth.databases)) -}}
{{- end -}}

{{- define "caravan.mongoReplicas" -}}
{{- int (default .Values.mongodb.replicas .Values.mongodb.replicaCount) -}}
{{- end -}}

{{- define "caravan.mongoAuth" -}}
{{- $auth := default dict .Values.mongodb.auth -}}
{{- if or (not (hasKey $auth "enabled")) $auth.enabled }}true{{ end -}}
{{- end -}}

{{- define "caravan.mongoSecretName" -}}
{{- default (printf "%s-mongodb" (include "caravan.fullname" .)) .Values.mongodb.auth.existingSecret -}}
{{- end -}}

{{- define "caravan.mongoUser" -}}
{{- default "rocketchat" (first (default list .Values.mongodb.auth.usernames)) -}}
{{- end -}}

{{/* Hosts of the bundled replica set's members. */}}
{{- define "caravan.mongoHosts" -}}
{{- $name := include "caravan.mongoName" . -}}
{{- $hosts := list -}}
{{- range $i := until (int (include "caravan.mongoReplicas" .)) }}
{{- $hosts = append $hosts (printf "%s-%d.%s:27017" $name $i $name) -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}

{{/* The main pods' Secret holds an external MongoDB URL or the SMTP URL when one is given by value. */}}
{{- define "caravan.secretNeeded" -}}
{{- if or (eq (include "caravan.mongoMode" .) "external-url") (and .Values.smtp.enabled (not .Values.smtp.existingSecret)) }}true{{ end -}}
{{- end -}}

{{/* Probe settings: path, timings; Rocket.Chat's /health is read as the matching Caravan health path. */}}
{{- define "caravan.probe" -}}
{{- $p := .probe -}}
{{- $path := default .default $p.path -}}
{{- if eq $path "/health" }}{{ $path = .default }}{{ end -}}
httpGet:
  path: {{ $path }}
  port: http
initialDelaySeconds: {{ default 0 $p.initialDelaySeconds }}
periodSeconds: {{ default 10 $p.periodSeconds }}
timeoutSeconds: {{ default 5 $p.timeoutSeconds }}
failureThreshold: {{ default 3 $p.failureThreshold }}
successThreshold: {{ default 1 $p.successThreshold }}
{{- end -}}

{{/* The environment every Caravan pod gets. */}}
{{- define "caravan.env" -}}
{{- $v := .root.Values -}}
{{- $mode := include "caravan.mongoMode" .root -}}
- name: PORT
  value: "3000"
- name: INSTANCE_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: CARAVAN_DATA_DIR
  value: /opt/caravan/data
- name: HTTP_FORWARDED_COUNT
{{- if kindIs "invalid" $v.trustedProxies }}
  value: {{ ternary "1" "0" $v.ingress.enabled | quote }}
{{- else }}
  value: {{ $v.trustedProxies | quote }}
{{- end }}
{{- if $v.host }}
- name: ROOT_URL
  value: {{ printf "https://%s" $v.host | quote }}
{{- end }}
{{- if $v.microservices.logLevel }}
- name: LOGGING_LEVEL_ROOT
  value: {{ upper $v.microservices.logLevel | quote }}
{{- end }}
{{- if $v.microservices.logFormat }}
- name: LOG_FORMAT
  value: {{ $v.microservices.logFormat | quote }}
{{- end }}
{{- if not (include "caravan.metricsEnabled" .root) }}
- name: CARAVAN_METRICS_ENABLED
  value: "false"
{{- else if gt (int (default 0 $v.metrics.port)) 0 }}
- name: CARAVAN_METRICS_PORT
  value: {{ $v.metrics.port | quote }}
{{- end }}
{{- if eq $mode "external-secret" }}
- name: MONGO_URL
  valueFrom:
    secretKeyRef:
{{- if $v.existingMongodbSecret }}
      name: {{ $v.existingMongodbSecret }}
      key: mongo-uri
{{- else }}
      name: {{ $v.externalMongodb.existingSecret }}
      key: {{ default "mongo-url" $v.externalMongodb.existingSecretKey }}
{{- end }}
{{- else if eq $mode "external-url" }}
- name: MONGO_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "caravan.fullname" .root }}
      key: mongo-uri
{{- else if eq $mode "bundled" }}
{{- $target := printf "%s/%s?replicaSet=%s" (include "caravan.mongoHosts" .root) (include "caravan.mongoDatabase" .root) $v.mongodb.replicaSetName }}
{{- if include "caravan.mongoAuth" .root }}
- name: CARAVAN_MONGODB_USERNAME
  value: {{ include "caravan.mongoUser" .root | quote }}
- name: CARAVAN_MONGODB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "caravan.mongoSecretName" .root }}
      key: mongodb-passwords
- name: MONGO_URL
  value: {{ printf "mongodb://$(CARAVAN_MONGODB_USERNAME):$(CARAVAN_MONGODB_PASSWORD)@%s" $target | quote }}
{{- else }}
- name: MONGO_URL
  value: {{ printf "mongodb://%s" $target | quote }}
{{- end }}
{{- end }}
{{- $natsSecret := default dict $v.nats.existingSecret }}
{{- $externalNats := default dict $v.externalNats }}
{{- if or $v.nats.enabled $natsSecret.name $externalNats.existingSecret $externalNats.url }}
- name: TRANSPORTER
{{- end }}
{{- if $v.nats.enabled }}
  value: {{ printf "nats://%s:4222" (include "caravan.natsName" .root) | quote }}
{{- else if $natsSecret.name }}
  valueFrom:
    secretKeyRef:
      name: {{ $natsSecret.name }}
      key: {{ default "connectionString" $natsSecret.key }}
{{- else if $externalNats.existingSecret }}
  valueFrom:
    secretKeyRef:
      name: {{ $externalNats.existingSecret }}
      key: {{ default "transporter" $externalNats.existingSecretKey }}
{{- else if $externalNats.url }}
  value: {{ $externalNats.url | quote }}
{{- end }}
{{- if $v.smtp.enabled }}
- name: MAIL_URL
  valueFrom:
    secretKeyRef:
      name: {{ default (include "caravan.fullname" .root) $v.smtp.existingSecret }}
      key: mail-url
{{- end }}
{{- if or $v.admin.existingSecret $v.admin.password }}
{{- $secret := default (printf "%s-admin" (include "caravan.fullname" .root)) $v.admin.existingSecret }}
{{- range $key := list "ADMIN_USERNAME" "ADMIN_PASS" "ADMIN_EMAIL" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- if .routes }}
- name: CARAVAN_ROUTES_DIR
  value: /opt/caravan/routes
{{- end }}
{{- with $v.extraEnv }}
{{ include "caravan.tpl" (dict "value" . "root" $.root) }}
{{- end }}
{{- with .env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Affinity of one deployable: its own (or global.affinity), plus podAntiAffinity among its replicas. */}}
{{- define "caravan.affinity" -}}
{{- $v := .root.Values -}}
{{- $affinity := deepCopy (default (default dict $v.global.affinity) .affinity) -}}
{{- $selector := fromYaml (include "caravan.selector" .) -}}
{{- $term := dict "topologyKey" (default "kubernetes.io/hostname" $v.podAntiAffinityTopologyKey) "labelSelector" (dict "matchLabels" $selector) -}}
{{- if and (eq $v.podAntiAffinity "hard") (not (hasKey $affinity "podAntiAffinity")) }}
{{- $_ := set $affinity "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) -}}
{{- else if and (eq $v.podAntiAffinity "soft") (not (hasKey $affinity "podAntiAffinity")) }}
{{- $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" $term))) -}}
{{- end -}}
{{- if $affinity }}{{ toYaml $affinity }}{{ end -}}
{{- end -}}

{{/*
A Deployment and its Service for one Caravan deployable. .values: the deployable's merged settings (replicas,
resources, image, securityContext, tolerations, nodeSelector, affinity, annotations, env, autoscaling); .main: the
all-in-one or core (the data volume, extraInitContainers, the Service type); .scaled: gets a PodDisruptionBudget.
*/}}
{{- define "caravan.deployable" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $name := printf "%s-%s" (include "caravan.fullname" $root) .component -}}
{{- $embedded := and .main (eq (include "caravan.mongoMode" $root) "embedded") -}}
{{- $replicas := int (default 0 .values.replicas) -}}
{{- $podSecurity := omit (default dict $v.securityContext) "enabled" -}}
{{- if and (hasKey (default dict $v.securityContext) "enabled") (not $v.securityContext.enabled) }}{{ $podSecurity = dict }}{{ end -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "caravan.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
    {{- with $v.deploymentLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  replicas: {{ $replicas }}
  {{- if $embedded }}
  # one process owns the embedded store's file: the old pod stops before the new one starts
  strategy:
    type: Recreate
  {{- end }}
  selector:
    matchLabels:
      {{- include "caravan.selector" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "caravan.selector" . | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- $annotations := deepCopy (default (default dict $v.global.annotations) .values.annotations) }}
      {{- if .routes }}{{ $_ := set $annotations "checksum/routes" (toYaml .routes | sha256sum) }}{{ end }}
      {{- with $annotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      {{- include "caravan.pullSecrets" $root | nindent 6 }}
      serviceAccountName: {{ include "caravan.serviceAccountName" $root }}
      {{- with $podSecurity }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if and .main $v.extraInitContainers }}
      initContainers:
        {{- include "caravan.tpl" (dict "value" $v.extraInitContainers "root" $root) | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "caravan.image" (dict "root" $root "service" .service "image" .values.image) | quote }}
          imagePullPolicy: {{ default $v.image.pullPolicy (get (default dict .values.image) "pullPolicy") }}
          ports:
            - name: http
              containerPort: 3000
            {{- if eq (include "caravan.metricsPortName" $root) "metrics" }}
            - name: metrics
              containerPort: {{ $v.metrics.port }}
            {{- end }}
          {{- if $v.extraSecret }}
          envFrom:
            - secretRef:
                name: {{ $v.extraSecret }}
          {{- end }}
          env:
            {{- include "caravan.env" (dict "root" $root "routes" .routes "env" .values.env) | nindent 12 }}
          {{- if $v.startupProbe.enabled }}
          startupProbe:
            {{- include "caravan.probe" (dict "probe" $v.startupProbe "default" "/health/live") | nindent 12 }}
          {{- end }}
          {{- if $v.livenessProbe.enabled }}
          livenessProbe:
            {{- include "caravan.probe" (dict "probe" $v.livenessProbe "default" "/health/live") | nindent 12 }}
          {{- end }}
          {{- if $v.readinessProbe.enabled }}
          readinessProbe:
            {{- include "caravan.probe" (dict "probe" $v.readinessProbe "default" "/health/ready") | nindent 12 }}
          {{- end }}
          {{- with (default $v.containerSecurityContext .values.securityContext) }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: data
              mountPath: /opt/caravan/data
            {{- if .routes }}
            - name: routes
              mountPath: /opt/caravan/routes
              readOnly: true
            {{- end }}
            {{- with $v.extraVolumeMounts }}
            {{- include "caravan.tpl" (dict "value" . "root" $root) | nindent 12 }}
            {{- end }}
      volumes:
        - name: data
          {{- if and .main $v.persistence.enabled }}
          persistentVolumeClaim:
            claimName: {{ default (printf "%s-data" (include "caravan.fullname" $root)) $v.persistence.existingClaim }}
          {{- else }}
          emptyDir: {}
          {{- end }}
        {{- if .routes }}
        - name: routes
          configMap:
            name: {{ $name }}-routes
            items:
              {{- range $path, $content := .routes }}
              - key: {{ $path | replace "/" "__" }}
                path: {{ $path }}
              {{- end }}
        {{- end }}
        {{- with $v.extraVolumes }}
        {{- include "caravan.tpl" (dict "value" . "root" $root) | nindent 8 }}
        {{- end }}
      {{- with (default $v.global.nodeSelector .values.nodeSelector) }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with (default $v.global.tolerations .values.tolerations) }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with (include "caravan.affinity" (dict "root" $root "component" .component "affinity" .values.affinity)) }}
      affinity:
        {{- . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "caravan.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
    {{- with $v.service.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $v.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- if .main }}
  type: {{ $v.service.type }}
  {{- if and (eq $v.service.type "LoadBalancer") $v.service.loadBalancerIP }}
  loadBalancerIP: {{ $v.service.loadBalancerIP }}
  {{- end }}
  {{- if and (eq $v.service.type "LoadBalancer") $v.service.loadBalancerClass }}
  loadBalancerClass: {{ $v.service.loadBalancerClass }}
  {{- end }}
  {{- else }}
  type: ClusterIP
  {{- end }}
  selector:
    {{- include "caravan.selector" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $v.service.port }}
      targetPort: http
      {{- if and .main (eq $v.service.type "NodePort") $v.service.nodePort }}
      nodePort: {{ $v.service.nodePort }}
      {{- end }}
    {{- if eq (include "caravan.metricsPortName" $root) "metrics" }}
    - name: metrics
      port: {{ $v.metrics.port }}
      targetPort: metrics
    {{- end }}
{{- if .routes }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $name }}-routes
  labels:
    {{- include "caravan.labels" $root | nindent 4 }}
data:
  {{- range $path, $content := .routes }}
  {{ $path | replace "/" "__" }}: |
    {{- $content | nindent 4 }}
  {{- end }}
{{- end }}
{{- $minAvailable := $v.podDisruptionBudget.minAvailable -}}
{{- if and (kindIs "invalid" $minAvailable) .main }}{{ $minAvailable = $v.minAvailable }}{{ end -}}
{{- $autoscaled := and .values.autoscaling .values.autoscaling.enabled -}}
{{- if and $v.podDisruptionBudget.enabled .scaled (or (gt $replicas 1) $autoscaled) }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "caravan.labels" $root | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" $minAvailable) }}
  minAvailable: {{ $minAvailable }}
  {{- else }}
  maxUnavailable: {{ $v.podDisruptionBudget.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "caravan.selector" . | nindent 6 }}
{{- end }}
{{- end -}}

{{- define "caravan.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ default (include "caravan.fullname" .) .Values.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.serviceAccount.name }}
{{- end -}}
{{- end -}}

{{/* ddp-streamer's autoscaling: microservices.ddpStreamer.autoscaling, overridden by the alias ddpStreamer.autoscaling. */}}
{{- define "caravan.ddpAutoscaling" -}}
{{- $own := deepCopy (default dict (get (default dict .Values.microservices.ddpStreamer) "autoscaling")) -}}
{{- $alias := get (default dict .Values.ddpStreamer) "autoscaling" -}}
{{- toYaml (mergeOverwrite $own (deepCopy (default dict $alias))) -}}
{{- end -}}

{{/* The bundled NATS / MongoDB image, behind global.imageRegistry when it names no registry of its own. */}}
{{- define "caravan.bundledImage" -}}
{{- $image := ternary .image .default (and (typeIs "string" .image) (ne .image "")) -}}
{{- $first := first (splitList "/" $image) -}}
{{- $hasRegistry := and (contains "/" $image) (or (contains "." $first) (contains ":" $first) (eq $first "localhost")) -}}
{{- if and .root.Values.global.imageRegistry (not $hasRegistry) }}{{ printf "%s/%s" .root.Values.global.imageRegistry $image }}{{ else }}{{ $image }}{{ end -}}
{{- end -}}

{{/* "true" unless metrics.enabled is false: /metrics on every Caravan pod */}}
{{- define "caravan.metricsEnabled" -}}
{{- $metrics := default dict .Values.metrics -}}
{{- if or (not (hasKey $metrics "enabled")) (kindIs "invalid" $metrics.enabled) $metrics.enabled }}true{{ end -}}
{{- end -}}

{{/* The port /metrics answers on: "metrics" when metrics.port gives it its own, else "http" */}}
{{- define "caravan.metricsPortName" -}}
{{- $metrics := default dict .Values.metrics -}}
{{- if gt (int (default 0 $metrics.port)) 0 }}metrics{{ else }}http{{ end -}}
{{- end -}}
