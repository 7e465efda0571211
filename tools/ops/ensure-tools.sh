#!/usr/bin/env bash
# Installs what the operations checks need into <repo>/.local/bin, only what is missing:
#   .local/bin/promtool   Prometheus' rule checker and unit-test runner, built with `go install`
#                         from the Go module proxy (module github.com/prometheus/prometheus)
#   .local/bin/prometheus with --with-prometheus: the server, for the live checks
#                         (src/live-check.int-spec.ts in npm test; npm run ops:live-check)
# The version is pinned in versions.env. Nothing is fetched at test time; the tests fail and
# point here when promtool is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

bin_dir="$repo/.local/bin"
module="github.com/prometheus/prometheus"
commands=(promtool)
[[ "${1:-}" == "--with-prometheus" ]] && commands+=(prometheus)

# `go version -m` reads the module version a binary was built from.
installed_version() {
  go version -m "$bin_dir/$1" 2>/dev/null | awk -v m="$module" '$1 == "mod" && $2 == m { print $3 }' || true
}

command -v go >/dev/null || { echo "ops ensure-tools: go is needed to build ${commands[*]}" >&2; exit 1; }
for command in "${commands[@]}"; do
  if [[ "$(installed_version "$command")" != "$PROMETHEUS_MODULE_VERSION" ]]; then
    echo "ops ensure-tools: building $command ($module $PROMETHEUS_MODULE_VERSION) into $bin_dir (go install; several minutes on a cold Go cache)" >&2
    mkdir -p "$bin_dir"
    # remove_all_sd: no service-discovery plugins (their cloud SDKs are most of the build); rule
    # checks and the loopback live check need none. About 3.5 minutes instead of 15 on 2 cores.
    GOBIN="$bin_dir" CGO_ENABLED=0 go install -tags remove_all_sd "$module/cmd/$command@$PROMETHEUS_MODULE_VERSION"
    [[ "$(installed_version "$command")" == "$PROMETHEUS_MODULE_VERSION" ]] || { echo "ops ensure-tools: $bin_dir/$command is not $PROMETHEUS_MODULE_VERSION after the build" >&2; exit 1; }
  fi
  echo "ops ensure-tools: $command from $module $(installed_version "$command") in ${bin_dir#"$repo"/}" >&2
done
