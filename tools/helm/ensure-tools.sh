#!/usr/bin/env bash
# Installs what the Helm chart checks need into <repo>/.local, only what is missing:
#   .local/bin/helm                              Helm, built with `go install` from the Go module proxy
#   .local/kubernetes-json-schema/<v>-local-strict/  Kubernetes JSON schemas from the PyPI package kubernetes-validate
# Versions are pinned in versions.env. Nothing is fetched at test time; the tests fail and point
# here when something is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

bin_dir="$repo/.local/bin"
helm_bin="$bin_dir/helm"
schema_root="$repo/.local/kubernetes-json-schema"
# The stamp names the package and the versions, so a change to either re-extracts.
stamp="$schema_root/.kubernetes-validate-$KUBERNETES_VALIDATE_VERSION-${KUBERNETES_SCHEMA_VERSIONS// /-}"

installed_helm_version() {
  "$helm_bin" version --template '{{.Version}}' 2>/dev/null || true
}

if [[ "$(installed_helm_version)" != "$HELM_VERSION" ]]; then
  command -v go >/dev/null || { echo "ensure-tools: go is needed to build Helm $HELM_VERSION" >&2; exit 1; }
  echo "ensure-tools: building Helm $HELM_VERSION into $bin_dir (go install; a few minutes on a cold Go cache)" >&2
  mkdir -p "$bin_dir"
  # The same version stamps as Helm's own Makefile: without them `helm version` says "v3.22" and
  # `helm template` assumes Kubernetes v1.20.
  ldflags="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$HELM_KUBERNETES_MINOR"
  done
  GOBIN="$bin_dir" CGO_ENABLED=0 go install -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  [[ "$(installed_helm_version)" == "$HELM_VERSION" ]] || { echo "ensure-tools: $helm_bin is not $HELM_VERSION after the build" >&2; exit 1; }
fi

if [[ ! -f "$stamp" ]]; then
  command -v python3 >/dev/null || { echo "ensure-tools: python3 (with pip) is needed to fetch kubernetes-validate" >&2; exit 1; }
  echo "ensure-tools: fetching Kubernetes JSON schemas ($KUBERNETES_SCHEMA_VERSIONS) from kubernetes-validate $KUBERNETES_VALIDATE_VERSION" >&2
  download="$(mktemp -d)"
  trap 'rm -rf "$download"' EXIT
  python3 -m pip download --quiet --no-deps --only-binary=:all: --disable-pip-version-check \
    --dest "$download" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  wheel="$(ls "$download"/kubernetes_validate-*.whl)"
  rm -rf "$schema_root"
  mkdir -p "$schema_root"
  # Only the strict schemas of the pinned versions (a few MB each), not the whole wheel.
  python3 - "$wheel" "$schema_root" $KUBERNETES_SCHEMA_VERSIONS <<'PY'
import sys, zipfile, pathlib
wheel, target, versions = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]
prefix = "kubernetes_validate/kubernetes-json-schema/"
with zipfile.ZipFile(wheel) as archive:
    for version in versions:
        folder = f"{prefix}{version}-local-strict/"
        members = [name for name in archive.namelist() if name.startswith(folder) and name.endswith(".json")]
        if not members:
            sys.exit(f"ensure-tools: {version} is not in {wheel}")
        for name in members:
            path = target / name[len(prefix):]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.read(name))
PY
  touch "$stamp"
fi

echo "ensure-tools: $("$helm_bin" version --short), Kubernetes schemas $KUBERNETES_SCHEMA_VERSIONS in ${schema_root#"$repo"/}" >&2
