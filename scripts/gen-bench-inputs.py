#!/usr/bin/env python3
"""Generates the benchmark inputs in bench-inputs/ (or the directory given as argument).

small.yaml + small.Dockerfile  a ~150-line Deployment + Service + Dockerfile
medium.yaml                    ~1 MB multi-document manifest, about 300 workloads
large.yaml                     ~10 MB multi-document manifest

The content is deterministic (seeded), realistic (probes, resources, env, security contexts,
Services, ConfigMaps) and triggers a good share of the rules, so the benchmark measures the
rules' work as well as parsing.
"""
import os
import random
import sys

DEPLOYMENT = """\
# Deployment {i}: {name}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {name}
    tier: backend
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
        tier: backend
      annotations:
        sidecar.istio.io/inject: "{istio}"
    spec:
      terminationGracePeriodSeconds: {grace}
      securityContext:
        runAsNonRoot: true
      containers:
      - name: {name}
        image: ghcr.io/acme/{name}:{tag}
        imagePullPolicy: IfNotPresent
        ports:
        - name: http
          containerPort: {port}
        - name: grpc
          containerPort: {grpc_port}
        env:
        - name: LOG_LEVEL
          value: info
        - name: DB_HOST
          valueFrom:
            configMapKeyRef:
              name: {name}-config
              key: db_host
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {name}-secret
              key: password
        resources:
          requests:
            cpu: {cpu_req}
            memory: {mem}
          limits:
            cpu: {cpu_lim}
            memory: {mem}
        readinessProbe:
          httpGet:
            path: /readyz
            port: http
          periodSeconds: 5
        livenessProbe:
          httpGet:
            path: {live_path}
            port: http
          initialDelaySeconds: {delay}
          failureThreshold: {threshold}
        lifecycle:
          preStop:
            exec:
              command: ["sleep", "{sleep}"]
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: [ALL]
        volumeMounts:
        - name: config
          mountPath: /etc/{name}/config.yaml
          subPath: config.yaml
        - name: tmp
          mountPath: /tmp
      - name: log-shipper
        image: fluent/fluent-bit:3.1
        args: ["--config", "/fluent-bit/etc/fluent-bit.conf"]
        resources:
          requests:
            cpu: 50m
            memory: 64Mi
          limits:
            memory: 128Mi
        volumeMounts:
        - name: shipper-config
          mountPath: /fluent-bit/etc
        securityContext:
          allowPrivilegeEscalation: false
          runAsUser: 10001
      volumes:
      - name: config
        configMap:
          name: {name}-config
      - name: shipper-config
        configMap:
          name: shipper-config
      - name: tmp
        emptyDir: {{}}
"""

SERVICE = """\
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  selector:
    app: {name}
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: grpc
    port: 9090
    targetPort: grpc
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {ns}
data:
  db_host: postgres.{ns}.svc.cluster.local
"""

DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build \\
    go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/api /api
EXPOSE 8080 9090
USER 65532:65532
ENTRYPOINT /api --listen :8080
"""


def workload(rng, i):
    name = f"svc-{i:04d}"
    return DEPLOYMENT.format(
        i=i,
        name=name,
        ns=rng.choice(["shop", "payments", "search"]),
        replicas=rng.randint(1, 6),
        istio=rng.choice(["true", "false"]),
        grace=rng.choice([30, 45, 60]),
        tag=rng.choice(["1.4.2", "latest", "2.0.0-rc1"]),
        port=8080,
        grpc_port=9090,
        cpu_req=rng.choice(["100m", "250m", "500m"]),
        cpu_lim=rng.choice(["250m", "1", "2"]),
        mem=rng.choice(["128Mi", "400Mi", "1Gi"]),
        live_path=rng.choice(["/livez", "/readyz"]),
        delay=rng.choice([0, 5, 15]),
        threshold=rng.choice([1, 3]),
        sleep=rng.choice([5, 10, 45]),
    ) + SERVICE.format(name=name, ns=rng.choice(["shop", "payments"])) + "---\n"


def stream(rng, target_bytes):
    parts, size, i = [], 0, 0
    while size < target_bytes:
        part = workload(rng, i)
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts), i


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench-inputs"
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261123)
    small = workload(rng, 0).rstrip("-\n") + "\n"
    files = {"small.yaml": small, "small.Dockerfile": DOCKERFILE}
    medium, n_medium = stream(rng, 1_000_000)
    large, n_large = stream(rng, 10_000_000)
    files["medium.yaml"] = medium
    files["large.yaml"] = large
    for name, text in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print(f"{out}/small.yaml: {small.count(chr(10))} lines; Dockerfile {DOCKERFILE.count(chr(10))} lines")
    print(f"{out}/medium.yaml: {len(medium)} bytes, {n_medium} workloads")
    print(f"{out}/large.yaml: {len(large)} bytes, {n_large} workloads")


if __name__ == "__main__":
    main()
