#!/bin/sh
# Install the Debian packages whose pkg-config modules are missing.
# usage: install-deps.sh PKG_CONFIG "module..." "debian-package..."
# The two lists are parallel: the Nth module comes from the Nth package.
set -eu
pkg_config=$1
modules=$2
debs=$3

want=""
command -v "$pkg_config" >/dev/null 2>&1 || want="pkg-config"
set -- $debs
for m in $modules; do
    if ! command -v "$pkg_config" >/dev/null 2>&1 ||
       ! "$pkg_config" --exists "$m" 2>/dev/null; then
        want="$want $1"
    fi
    shift
done

if [ -z "$want" ]; then
    echo "deps: all build dependencies are installed"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: missing:$want" >&2
    echo "deps: this is not a Debian system; install the equivalents of these packages" >&2
    exit 1
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
        echo "deps: need root (or sudo) to install:$want" >&2; exit 1; }
    sudo=sudo
fi

echo "deps: installing$want"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet: update only when needed.
$sudo apt-get install -y --no-install-recommends $want ||
    { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends $want; }
