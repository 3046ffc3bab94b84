#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds, tests and runs with.
# Idempotent and non-interactive: installs only what is missing.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libxlsxwriter-dev python3-openpyxl python3-jsonschema chromium fonts-noto-cjk
  poppler-utils
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev grpc-proto libgoogle-common-protos-java
  libsqlite3-dev libgtest-dev libgmock-dev
  libpq-dev postgresql-15
  libssl-dev openssl
  clang libfuzzer-14-dev lld
  prometheus-cpp-dev prometheus systemd
)

# One dpkg-query for all (it fails for a package it has never heard of, so
# its status is ignored): the check costs a tenth of a second when every
# package is present, as on a developer's machine.
installed=" $(dpkg-query -W -f='${Status} ${Package}\n' "${packages[@]}" \
  2>/dev/null | sed -n 's/^install ok installed //p' | tr '\n' ' ') " || true
missing=()
for p in "${packages[@]}"; do
  if [[ "$installed" != *" $p "* ]]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
