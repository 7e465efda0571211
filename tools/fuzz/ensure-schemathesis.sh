#!/usr/bin/env bash
# Installs what `npm run fuzz` needs into <repo>/.local, only what is missing:
#   .local/fuzz-venv/bin/schemathesis   Schemathesis from PyPI, in its own Python venv
# The version is pinned here; a different installed version is replaced. Quick (one pip
# metadata read) when the pinned version is already there.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.local/fuzz-venv"

installed_version() {
  "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true
}

if [[ ! -x "$venv/bin/python" ]]; then
  command -v python3 >/dev/null || { echo "fuzz ensure-schemathesis: python3 (with venv) is needed" >&2; exit 1; }
  echo "fuzz ensure-schemathesis: creating the venv ${venv#"$repo"/}" >&2
  python3 -m venv "$venv"
fi

if [[ "$(installed_version)" != "$SCHEMATHESIS_VERSION" ]]; then
  echo "fuzz ensure-schemathesis: installing schemathesis $SCHEMATHESIS_VERSION from PyPI (a minute)" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  [[ "$(installed_version)" == "$SCHEMATHESIS_VERSION" ]] || { echo "fuzz ensure-schemathesis: ${venv#"$repo"/} has no schemathesis $SCHEMATHESIS_VERSION after the install" >&2; exit 1; }
fi

echo "fuzz ensure-schemathesis: schemathesis $(installed_version) in ${venv#"$repo"/}" >&2
