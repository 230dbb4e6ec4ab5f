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

{{/* Image of one deployable: <registry>/<prefix>/<service>:<tag>. */}}
{{- define "caravan.image" -}}
{{- $v := .root.Values.image -}}
{{- $repo := printf "%s/%s" $v.repositoryPrefix .service -}}
{{- if $v.registry }}{{ $repo = printf "%s/%s" $v.registry $repo }}{{ end -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $v.tag) -}}
{{- end -}}

{{- define "caravan.natsName" -}}{{ printf "%s-nats" (include "caravan.fullname" .) }}{{- end -}}
{{- define "caravan.mongoName" -}}{{ printf "%s-mongodb" (include "caravan.fullname" .) }}{{- end -}}

{{/* The environment every Caravan pod gets. */}}
{{- define "caravan.env" -}}
- name: PORT
  value: {{ .root.Values.service.port | quote }}
- name: INSTANCE_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: HTTP_FORWARDED_COUNT
{{- if kindIs "invalid" .root.Values.trustedProxies }}
  value: {{ ternary "1" "0" .root.Values.ingress.enabled | quote }}
{{- else }}
  value: {{ .root.Values.trustedProxies | quote }}
{{- end }}
{{- if .root.Values.host }}
- name: ROOT_URL
  value: {{ printf "https://%s" .root.Values.host | quote }}
{{- end }}
- name: MONGO_URL
{{- if .root.Values.mongodb.enabled }}
  value: {{ printf "mongodb://%s-0.%s:27017/%s?replicaSet=%s" (include "caravan.mongoName" .root) (include "caravan.mongoName" .root) .root.Values.mongodb.database .root.Values.mongodb.replicaSetName | quote }}
{{- else if .root.Values.externalMongodb.existingSecret }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.externalMongodb.existingSecret }}
      key: {{ .root.Values.externalMongodb.existingSecretKey }}
{{- else }}
  value: {{ required "externalMongodb.url is required when mongodb.enabled is false" .root.Values.externalMongodb.url | quote }}
{{- end }}
- name: TRANSPORTER
{{- if .root.Values.nats.enabled }}
  value: {{ printf "nats://%s:4222" (include "caravan.natsName" .root) | quote }}
{{- else if .root.Values.externalNats.existingSecret }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.externalNats.existingSecret }}
      key: {{ .root.Values.externalNats.existingSecretKey }}
{{- else }}
  value: {{ required "externalNats.url is required when nats.enabled is false" .root.Values.externalNats.url | quote }}
{{- end }}
{{- if or .root.Values.admin.existingSecret .root.Values.admin.password }}
{{- $secret := default (printf "%s-admin" (include "caravan.fullname" .root)) .root.Values.admin.existingSecret }}
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
{{- with .env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* A Deployment and its Service for one Caravan deployable. */}}
{{- define "caravan.deployable" -}}
{{- $root := .root -}}
{{- $name := printf "%s-%s" (include "caravan.fullname" $root) .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "caravan.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  replicas: {{ .replicas }}
  selector:
    matchLabels:
      {{- include "caravan.selector" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "caravan.selector" . | nindent 8 }}
      annotations:
        {{- if .routes }}
        checksum/routes: {{ toYaml .routes | sha256sum }}
        {{- end }}
        {{- with .values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "caravan.image" (dict "root" $root "service" .service) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $root.Values.service.port }}
          env:
            {{- include "caravan.env" (dict "root" $root "routes" .routes "env" .values.env) | nindent 12 }}
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
            initialDelaySeconds: 20
            periodSeconds: 10
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            initialDelaySeconds: 5
            periodSeconds: 5
          {{- with .values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- if .routes }}
          volumeMounts:
            - name: routes
              mountPath: /opt/caravan/routes
              readOnly: true
          {{- end }}
      {{- if .routes }}
      volumes:
        - name: routes
          configMap:
            name: {{ $name }}-routes
            items:
              {{- range $path, $content := .routes }}
              - key: {{ $path | replace "/" "__" }}
                path: {{ $path }}
              {{- end }}
      {{- end }}
      {{- with .values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "caravan.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  type: {{ $root.Values.service.type }}
  selector:
    {{- include "caravan.selector" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $root.Values.service.port }}
      targetPort: http
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
{{- if and $root.Values.podDisruptionBudget.enabled .scaled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "caravan.labels" $root | nindent 4 }}
spec:
  maxUnavailable: {{ $root.Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "caravan.selector" . | nindent 6 }}
{{- end }}
{{- end -}}
